from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy

from broadsheet.moderation.categories import Category, for_author
from broadsheet.stories.models import Story


class Comment(models.Model):
    class Status(models.TextChoices):
        PUBLISHED = "published", gettext_lazy("Published")
        PENDING = "pending", gettext_lazy("awaiting review")
        REJECTED = "rejected", gettext_lazy("Rejected")
        DELETED = "deleted", gettext_lazy("Deleted")

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    # The top-level comment of the thread (None for a top-level comment): one query loads a
    # whole thread whatever its depth.
    root = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # Whom a reply answers when it could not nest deeper than the deepest level.
    in_reply_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    depth = models.PositiveSmallIntegerField(default=1)
    body = models.TextField(max_length=20_000)
    # Rendered and sanitized once, at write time; reads never render.
    body_html = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    is_featured = models.BooleanField(default=False)
    recommend_count = models.PositiveIntegerField(default=0)
    reply_count = models.PositiveIntegerField(default=0)
    toxicity = models.FloatField(null=True, blank=True)
    hold_reasons = models.JSONField(default=list, blank=True)
    # The most serious kind of harm the automatic checks saw, or "": orders the desk's
    # queue and tells the author why the comment waits.
    category = models.CharField(max_length=8, choices=Category.choices, blank=True, default="")
    # Bumped by every edit; a moderation decision names the revision it judged.
    revision = models.PositiveIntegerField(default=1)
    # Why a moderator rejected it: shown to the author on their "My comments" list.
    status_reason = models.TextField(blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    status_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The one-time token of the form that posted it: a resubmitted form finds this comment.
    client_token = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["story", "status", "created_at"]),
            models.Index(fields=["author", "created_at"]),
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["story", "parent", "status", "created_at"]),
            models.Index(fields=["root", "created_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "client_token"],
                condition=~models.Q(client_token=""),
                name="one_comment_per_form_token",
            ),
        ]

    def __str__(self) -> str:
        return f"comment #{self.pk} on {self.story_id}"

    @property
    def category_for_author(self) -> str:
        """Why the checks held it, as its author reads it ("it may insult someone")."""
        return for_author(self.category)


class Reaction(models.Model):
    class Kind(models.TextChoices):
        RECOMMEND = "recommend", gettext_lazy("Recommend")

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reactions")
    reader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.RECOMMEND)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reader", "kind"], name="one_reaction_per_reader"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} on comment #{self.comment_id}"


class QuietHours(models.Model):
    """Hours each day when commenting is closed site-wide, in the site's time zone.

    One row, edited by editors on the desk; read through the shared cache (comments.quiet).
    """

    enabled = models.BooleanField(default=False)
    starts = models.TimeField(help_text="Commenting closes at this time.")
    ends = models.TimeField(help_text="Commenting reopens at this time (the next day if earlier).")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "quiet hours"
        verbose_name_plural = "quiet hours"

    def __str__(self) -> str:
        return f"quiet hours {self.starts:%H:%M}-{self.ends:%H:%M}"
