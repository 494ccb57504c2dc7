"""What a reader asked to hear about, whom they muted, what they were told, and what was sent."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy


class Mode(models.TextChoices):
    """How a reader hears about one kind of activity."""

    OFF = "off", gettext_lazy("Off")
    SITE = "site", gettext_lazy("On this site only")
    IMMEDIATE = "immediate", gettext_lazy("On this site, and by e-mail at once")
    DIGEST = "digest", gettext_lazy("On this site, and in a daily e-mail digest")


EMAIL_MODES = (Mode.IMMEDIATE, Mode.DIGEST)


class Preferences(models.Model):
    """A reader's notification settings; a reader without a row has the defaults."""

    reader = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_preferences",
    )
    replies = models.CharField(max_length=10, choices=Mode.choices, default=Mode.IMMEDIATE)
    featured = models.CharField(max_length=10, choices=Mode.choices, default=Mode.IMMEDIATE)
    followed = models.CharField(max_length=10, choices=Mode.choices, default=Mode.DIGEST)
    follow_own_threads = models.BooleanField(default=True)
    # Receipts and notices about the reader's subscription.
    account_emails = models.BooleanField(default=True)

    class Meta:
        verbose_name_plural = "preferences"

    def __str__(self) -> str:
        return f"notification settings of reader #{self.reader_id}"


class Follow(models.Model):
    """A reader following a story's discussion or one thread (its top-level comment).

    A row with `following=False` records that the reader stopped following, so commenting
    in the thread again does not follow it again automatically.
    """

    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows"
    )
    story = models.ForeignKey(
        "stories.Story", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    thread = models.ForeignKey(
        "comments.Comment", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    following = models.BooleanField(default=True)
    automatic = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["reader", "story"],
                condition=models.Q(story__isnull=False),
                name="one_follow_per_story",
            ),
            models.UniqueConstraint(
                fields=["reader", "thread"],
                condition=models.Q(thread__isnull=False),
                name="one_follow_per_thread",
            ),
            models.CheckConstraint(
                condition=models.Q(story__isnull=True, thread__isnull=False)
                | models.Q(story__isnull=False, thread__isnull=True),
                name="follow_story_or_thread",
            ),
        ]
        indexes = [
            models.Index(fields=["story", "following"]),
            models.Index(fields=["thread", "following"]),
        ]

    def __str__(self) -> str:
        what = f"story #{self.story_id}" if self.story_id else f"thread #{self.thread_id}"
        return f"reader #{self.reader_id} follows {what}"


class Mute(models.Model):
    """A reader hiding another reader's comments from themselves. Only the muter knows."""

    muter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mutes"
    )
    muted = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["muter", "muted"], name="one_mute_per_pair"),
            models.CheckConstraint(
                condition=~models.Q(muter=models.F("muted")), name="no_muting_oneself"
            ),
        ]

    def __str__(self) -> str:
        return f"reader #{self.muter_id} muted reader #{self.muted_id}"


class Notification(models.Model):
    """One thing a reader is told about on the site (and perhaps by e-mail)."""

    class Kind(models.TextChoices):
        REPLY = "reply", gettext_lazy("reply to your comment")
        FEATURED = "featured", gettext_lazy("your comment featured")
        THREAD = "thread", gettext_lazy("new comment in a thread you follow")
        STORY = "story", gettext_lazy("new comment on a story you follow")

    class Email(models.TextChoices):
        NONE = "none", gettext_lazy("None")
        IMMEDIATE = "immediate", gettext_lazy("Immediate")
        DIGEST = "digest", gettext_lazy("Digest")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # What happened, e.g. "comment:12" or "featured:12": one notification per event and reader.
    event_key = models.CharField(max_length=80)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.ForeignKey("comments.Comment", on_delete=models.CASCADE, related_name="+")
    story = models.ForeignKey("stories.Story", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    email = models.CharField(max_length=10, choices=Email.choices, default=Email.NONE)
    # The daily digest that carried it (digest notifications only).
    digest = models.ForeignKey(
        "Delivery", null=True, blank=True, on_delete=models.SET_NULL, related_name="notifications"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "event_key"], name="one_notification_per_event"
            ),
        ]
        indexes = [
            models.Index(fields=["recipient", "created_at"]),
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["email", "digest", "created_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for reader #{self.recipient_id}"


class Delivery(models.Model):
    """One e-mail to one reader about one event: the row that makes sending idempotent.

    Created in the transaction that causes it; the task sends it at most once, retrying
    after a failure of the mail server.
    """

    class Status(models.TextChoices):
        PENDING = "pending", gettext_lazy("Pending")
        SENDING = "sending", gettext_lazy("Sending")
        SENT = "sent", gettext_lazy("Sent")
        FAILED = "failed", gettext_lazy("Failed")
        SKIPPED = "skipped", gettext_lazy("not sent (no longer wanted or visible)")

    class Channel(models.TextChoices):
        EMAIL = "email", gettext_lazy("e-mail")

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.EMAIL)
    event_key = models.CharField(max_length=120)
    # Which e-mail it is: reply, featured, thread, story, digest, receipt, trial_ending, ...
    kind = models.CharField(max_length=20)
    notification = models.ForeignKey(
        Notification, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    payload = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["event_key", "recipient", "channel"], name="one_delivery_per_event"
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.kind} e-mail to reader #{self.recipient_id} ({self.status})"
