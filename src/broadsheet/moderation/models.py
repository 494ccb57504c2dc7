from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy

from broadsheet.moderation.categories import Category


class Sanction(models.Model):
    """A moderator's measure against a reader. Bans and suspensions stop commenting."""

    class Kind(models.TextChoices):
        WARNING = "warning", gettext_lazy("Warning")
        PREMODERATION = "premoderation", gettext_lazy("always pre-moderated")
        SUSPENSION = "suspension", gettext_lazy("Suspension")
        BAN = "ban", gettext_lazy("Ban")

    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sanctions"
    )
    kind = models.CharField(max_length=14, choices=Kind.choices)
    reason = models.TextField(blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True, help_text=gettext_lazy("Empty: no end."))
    lifted_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        indexes = [models.Index(fields=["reader", "kind"])]

    def __str__(self) -> str:
        return f"{self.kind} for {self.reader_id}"


class Term(models.Model):
    """A word or phrase on the banned list (refused) or the suspect list (held for review)."""

    class Kind(models.TextChoices):
        BANNED = "banned", gettext_lazy("Banned")
        SUSPECT = "suspect", gettext_lazy("Suspect")

    text = models.CharField(
        max_length=100,
        help_text=gettext_lazy(
            'A word or phrase. End a word with * to match every word it begins ("fuck*").'
        ),
    )
    # The normalised form (see matching.term_key): one entry per term, whatever its spelling.
    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    category = models.CharField(max_length=8, choices=Category.choices, default=Category.OTHER)
    note = models.CharField(max_length=200, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "key"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.text}"


class Report(models.Model):
    """A reader's report of a comment; open until a moderator decides on the comment."""

    class Reason(models.TextChoices):
        ABUSE = "abuse", gettext_lazy("abusive or hateful")
        SPAM = "spam", gettext_lazy("spam or advertising")
        OFF_TOPIC = "off_topic", gettext_lazy("off-topic")
        MISINFORMATION = "misinformation", gettext_lazy("misinformation")
        OTHER = "other", gettext_lazy("something else")

    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports"
    )
    comment = models.ForeignKey(
        "comments.Comment", on_delete=models.CASCADE, related_name="reports"
    )
    reason = models.CharField(max_length=16, choices=Reason.choices)
    text = models.TextField(max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["reader", "comment"], name="one_report_per_reader"),
        ]
        indexes = [models.Index(fields=["comment", "resolved_at"])]

    def __str__(self) -> str:
        return f"{self.reason} report on comment #{self.comment_id}"


class BlockedDomain(models.Model):
    """A link domain moderators have seen in spam: a link to it holds the comment."""

    domain = models.CharField(
        max_length=200, unique=True, help_text=gettext_lazy("e.g. cheap-pills.example")
    )
    note = models.CharField(max_length=200, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["domain"]

    def __str__(self) -> str:
        return self.domain


def _fraction(field_name: str, default: float, help_text: str) -> models.FloatField[float, float]:
    return models.FloatField(
        field_name,
        default=default,
        validators=[MinValueValidator(0.05), MaxValueValidator(1.0)],
        help_text=help_text,
    )


class Thresholds(models.Model):
    """The site's thresholds for each automatic check; one row, edited on the desk or admin."""

    class ThreatAction(models.TextChoices):
        HOLD = "hold", gettext_lazy("hold for a moderator (top of the queue)")
        REFUSE = "refuse", gettext_lazy("refuse it at once")

    toxicity = _fraction(
        "toxicity model score",
        0.7,
        "The profanity model's score (0-1) at or above which a comment waits.",
    )
    newsroom = _fraction(
        "newsroom model score",
        0.6,
        "The score (0-1) of the model trained on this desk's decisions at or above which a "
        "comment waits, once that model beats the shipped checks.",
    )
    spam = models.PositiveSmallIntegerField(
        "spam weight",
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(10)],
        help_text=gettext_lazy(
            "Spam signals are weighted (a link 1, a short link 2, ...); at this total "
            "weight a comment waits."
        ),
    )
    strict_margin = models.FloatField(
        "strict story margin",
        default=0.2,
        validators=[MinValueValidator(0.0), MaxValueValidator(0.5)],
        help_text=gettext_lazy(
            "On a story marked strict, score thresholds are this much lower and the "
            "spam weight one lower."
        ),
    )
    threats = models.CharField(
        "a comment that threatens someone",
        max_length=6,
        choices=ThreatAction.choices,
        default=ThreatAction.HOLD,
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "moderation thresholds"
        verbose_name_plural = "moderation thresholds"

    def __str__(self) -> str:
        return "Moderation thresholds"


class Decision(models.Model):
    """A moderator's approve or reject with the text they judged: what the newsroom model learns."""

    comment = models.ForeignKey(
        "comments.Comment", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = models.TextField()
    rejected = models.BooleanField()
    category = models.CharField(max_length=8, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["decided_at", "pk"]
        indexes = [models.Index(fields=["comment", "decided_at"])]

    def __str__(self) -> str:
        return f"{'reject' if self.rejected else 'approve'} #{self.comment_id}"


class NewsroomModel(models.Model):
    """A classifier trained on the desk's decisions, with how it compared to the shipped checks.

    Kept in the database so that every worker process loads the same one; it scores comments
    only while `in_use`, which training sets when it beat the shipped checks on decisions it
    had not seen.
    """

    created_at = models.DateTimeField(auto_now_add=True)
    trained_on = models.PositiveIntegerField()
    held_out = models.PositiveIntegerField()
    # Balanced accuracy (mean of the share of rejects caught and of approvals let through)
    # on the held-out decisions, of this model and of the shipped checks.
    model_score = models.FloatField()
    shipped_score = models.FloatField()
    details = models.JSONField(default=dict)
    in_use = models.BooleanField(default=False)
    blob = models.BinaryField()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"newsroom model of {self.created_at:%Y-%m-%d %H:%M}"


class ReaderNote(models.Model):
    """A private note about a reader, for moderators and editors only; never shown to the
    reader, never in the reader's API."""

    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_notes"
    )
    text = models.TextField(max_length=2000)
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["reader", "created_at"])]

    def __str__(self) -> str:
        return f"note on reader #{self.reader_id}"
