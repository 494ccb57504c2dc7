"""Statements of reasons, appeals against them, illegal-content notices and the guidelines."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from broadsheet.appeals.grounds import Ground


class Guideline(models.Model):
    """One section of the community guidelines; `slug` is its anchor on the page."""

    slug = models.SlugField(max_length=40, unique=True, help_text=_("Its anchor: #slug."))
    title = models.CharField(max_length=120)
    body = models.TextField(help_text=_("Markdown."))
    # Rendered and sanitised once, when an editor saves it.
    body_html = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return str(self.title)

    def get_absolute_url(self) -> str:
        return f"/guidelines/#{self.slug}"


class Statement(models.Model):
    """What a reader is told about a decision that restricts them: a statement of reasons."""

    class Decision(models.TextChoices):
        COMMENT_REJECTED = "comment_rejected", _("your comment was removed")
        COMMENT_HIDDEN = "comment_hidden", _("your comment was hidden until a moderator looks")
        SUSPENSION = "suspension", _("your commenting was suspended")
        BAN = "ban", _("your account was banned from commenting")
        PREMODERATION = "premoderation", _("your comments are checked before they appear")

    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="statements"
    )
    decision = models.CharField(max_length=20, choices=Decision.choices)
    comment = models.ForeignKey(
        "comments.Comment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sanction = models.ForeignKey(
        "moderation.Sanction", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ground = models.CharField(max_length=20, choices=Ground.choices)
    text = models.TextField(blank=True, help_text=_("The moderator's own words."))
    automatic = models.BooleanField(default=False)
    guideline = models.ForeignKey(
        Guideline, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    ends_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["reader", "created_at"]),
            models.Index(fields=["comment"]),
        ]

    def __str__(self) -> str:
        return f"{self.decision} for reader #{self.reader_id}"

    def get_absolute_url(self) -> str:
        return f"/accounts/decisions/{self.pk}/"

    @property
    def own_words(self) -> str:
        """The moderator's text, unless it only repeats the ground ("Personal attack")."""
        same = self.text.strip().casefold() in {
            str(self.get_ground_display()).casefold(),
            str(self.get_ground_display()).casefold().removeprefix("a "),
        }
        return "" if same else self.text


class Appeal(models.Model):
    """A reader's one appeal against one statement, handled by another moderator."""

    class Status(models.TextChoices):
        OPEN = "open", _("waiting for a moderator")
        UPHELD = "upheld", _("decision upheld")
        REVERSED = "reversed", _("decision reversed")

    statement = models.OneToOneField(Statement, on_delete=models.CASCADE, related_name="appeal")
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="appeals"
    )
    text = models.TextField(max_length=1000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    response = models.TextField(blank=True, max_length=1000)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"appeal #{self.pk} ({self.status})"


class Notice(models.Model):
    """A notice of illegal content, from anyone, with the outcome the sender is told."""

    class Status(models.TextChoices):
        OPEN = "open", _("waiting for a moderator")
        REMOVED = "removed", _("the comment was removed")
        DECLINED = "declined", _("no action taken")

    name = models.CharField(max_length=120)
    email = models.EmailField()
    comment = models.ForeignKey(
        "comments.Comment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    law = models.CharField(max_length=200)
    explanation = models.TextField(max_length=3000)
    good_faith = models.BooleanField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    response = models.TextField(blank=True, max_length=1000)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # Set when each e-mail to the sender went out: a retried task sends nothing twice.
    receipt_sent_at = models.DateTimeField(null=True, blank=True)
    outcome_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return f"notice #{self.pk} ({self.status})"
