from django.conf import settings
from django.db import models


class Sanction(models.Model):
    """A moderator's measure against a reader. Bans and suspensions stop commenting."""

    class Kind(models.TextChoices):
        WARNING = "warning"
        PREMODERATION = "premoderation", "always pre-moderated"
        SUSPENSION = "suspension"
        BAN = "ban"

    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sanctions"
    )
    kind = models.CharField(max_length=14, choices=Kind.choices)
    reason = models.TextField(blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True, help_text="Empty: no end.")
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
        BANNED = "banned"
        SUSPECT = "suspect"

    text = models.CharField(
        max_length=100,
        help_text='A word or phrase. End a word with * to match every word it begins ("fuck*").',
    )
    # The normalised form (see matching.term_key): one entry per term, whatever its spelling.
    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=8, choices=Kind.choices)
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
        ABUSE = "abuse", "abusive or hateful"
        SPAM = "spam", "spam or advertising"
        OFF_TOPIC = "off_topic", "off-topic"
        MISINFORMATION = "misinformation", "misinformation"
        OTHER = "other", "something else"

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
