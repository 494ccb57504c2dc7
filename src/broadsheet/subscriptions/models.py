from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


class Plan(models.Model):
    """A subscription plan. Plans are data: what a reader may do comes from here."""

    class Period(models.TextChoices):
        MONTH = "month", gettext_lazy("monthly")
        YEAR = "year", gettext_lazy("yearly")

    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True)
    price_cents = models.PositiveIntegerField(
        default=0,
        help_text=gettext_lazy("Per billing period, in cents. A change applies at each renewal."),
    )
    currency = models.CharField(max_length=3, default="EUR")
    period = models.CharField(max_length=5, choices=Period.choices, default=Period.MONTH)
    trial_days = models.PositiveSmallIntegerField(
        default=0,
        help_text=gettext_lazy("Free days before the first charge; a reader gets one trial."),
    )
    trial_includes_comments = models.BooleanField(
        default=False,
        help_text=gettext_lazy("Whether readers on a trial of this plan may comment."),
    )
    is_free = models.BooleanField(
        default=False,
        help_text=gettext_lazy("The plan of every registered reader without a subscription."),
    )
    is_public = models.BooleanField(
        default=True, help_text=gettext_lazy("Listed on the plans page.")
    )
    is_retired = models.BooleanField(
        default=False,
        help_text=gettext_lazy(
            "Retired plans take no new subscribers; current subscribers keep them."
        ),
    )
    display_order = models.PositiveSmallIntegerField(default=0)
    # Entitlements
    may_comment = models.BooleanField(default=False)
    premium_stories = models.BooleanField(default=False)
    monthly_free_premium = models.PositiveSmallIntegerField(
        default=0,
        help_text=gettext_lazy("Subscriber stories a month readable without premium access."),
    )

    class Meta:
        ordering = ["display_order", "price_cents"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_free"], condition=models.Q(is_free=True), name="one_free_plan"
            ),
            models.CheckConstraint(
                condition=~models.Q(is_free=True) | models.Q(price_cents=0),
                name="free_plan_costs_nothing",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.is_free and self.price_cents:
            raise ValidationError({"price_cents": _("The free plan costs nothing.")})
        if self.is_free and self.is_retired:
            raise ValidationError({"is_retired": _("The free plan cannot be retired.")})


class Subscription(models.Model):
    """A reader's subscription to a plan and where it is in its lifecycle."""

    class Status(models.TextChoices):
        TRIALING = "trialing", gettext_lazy("trial")
        ACTIVE = "active", gettext_lazy("active")
        PAST_DUE = "past_due", gettext_lazy("payment overdue")
        CANCELED = "canceled", gettext_lazy("cancelled")
        EXPIRED = "expired", gettext_lazy("expired")

    CURRENT_STATUSES = (Status.TRIALING, Status.ACTIVE, Status.PAST_DUE)

    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions"
    )
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="subscriptions")
    status = models.CharField(max_length=10, choices=Status.choices)
    started_at = models.DateTimeField()
    current_period_start = models.DateTimeField(null=True, blank=True)
    current_period_end = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    cancel_at_period_end = models.BooleanField(default=False)
    # Periods are counted from this moment, so 31 January renews on 28 February, then 31 March.
    billing_anchor = models.DateTimeField(null=True, blank=True)
    trial_ends_at = models.DateTimeField(null=True, blank=True)
    # A downgrade waits here until the period ends.
    pending_plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    past_due_since = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    # The provider's reference for the saved card, never the card number.
    payment_method = models.CharField(max_length=120, blank=True)
    card_brand = models.CharField(max_length=20, blank=True)
    card_last4 = models.CharField(max_length=4, blank=True)
    # The key of the checkout form that created it: the same form sent twice finds this row.
    idempotency_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["reader"],
                condition=models.Q(status__in=["trialing", "active", "past_due"]),
                name="one_current_subscription_per_reader",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "current_period_end"]),
            models.Index(fields=["status", "next_attempt_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.plan} ({self.status})"

    @property
    def is_current(self) -> bool:
        return self.status in self.CURRENT_STATUSES


class SubscriptionEvent(models.Model):
    """One transition or change of a subscription: when, from what, to what, and why."""

    class Cause(models.TextChoices):
        SUBSCRIBED = "subscribed", gettext_lazy("subscribed")
        TRIAL_STARTED = "trial_started", gettext_lazy("trial started")
        TRIAL_CONVERTED = "trial_converted", gettext_lazy("trial converted to paid")
        RENEWED = "renewed", gettext_lazy("renewed")
        PAYMENT_FAILED = "payment_failed", gettext_lazy("payment failed")
        PAYMENT_RECOVERED = "payment_recovered", gettext_lazy("overdue payment received")
        GRACE_ENDED = "grace_ended", gettext_lazy("grace period ended unpaid")
        CANCEL_REQUESTED = "cancel_requested", gettext_lazy("cancellation requested")
        RESUMED = "resumed", gettext_lazy("resumed")
        PERIOD_ENDED = "period_ended", gettext_lazy("ended at period end")
        CANCELED_NOW = "canceled_now", gettext_lazy("cancelled")
        UPGRADED = "upgraded", gettext_lazy("upgraded")
        DOWNGRADE_SCHEDULED = "downgrade_scheduled", gettext_lazy("plan change scheduled")
        DOWNGRADE_WITHDRAWN = "downgrade_withdrawn", gettext_lazy("plan change withdrawn")
        DOWNGRADED = "downgraded", gettext_lazy("plan changed at renewal")
        CARD_UPDATED = "card_updated", gettext_lazy("card updated")

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    cause = models.CharField(max_length=24, choices=Cause.choices)
    from_status = models.CharField(max_length=10, blank=True)
    to_status = models.CharField(max_length=10)
    from_plan = models.ForeignKey(Plan, on_delete=models.PROTECT, null=True, related_name="+")
    to_plan = models.ForeignKey(Plan, on_delete=models.PROTECT, null=True, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    detail = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.cause} at {self.at:%Y-%m-%d %H:%M}"


class Payment(models.Model):
    """A charge attempt with the payment provider, kept as the reader's payment history."""

    class Status(models.TextChoices):
        SUCCEEDED = "succeeded", gettext_lazy("paid")
        FAILED = "failed", gettext_lazy("declined")
        REFUNDED = "refunded", gettext_lazy("refunded")

    class Kind(models.TextChoices):
        FIRST = "first", gettext_lazy("first payment")
        RENEWAL = "renewal", gettext_lazy("renewal")
        UPGRADE = "upgrade", gettext_lazy("upgrade (prorated)")

    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="payments"
    )
    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, null=True, related_name="payments"
    )
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices)
    amount_cents = models.PositiveIntegerField()
    currency = models.CharField(max_length=3)
    provider = models.CharField(max_length=40)
    reference = models.CharField(max_length=120, blank=True)
    card_last4 = models.CharField(max_length=4, blank=True)
    failure_message = models.CharField(max_length=200, blank=True)
    period_start = models.DateTimeField(null=True, blank=True)
    period_end = models.DateTimeField(null=True, blank=True)
    # One charge per key: the checkout form's key, or the renewal's (subscription, period, try).
    idempotency_key = models.CharField(max_length=120, unique=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["reader", "created_at"])]

    def __str__(self) -> str:
        return f"{self.amount_cents / 100:.2f} {self.currency} {self.status}"


class PremiumRead(models.Model):
    """A subscriber story a signed-in reader opened on their monthly allowance."""

    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="premium_reads"
    )
    story = models.ForeignKey("stories.Story", on_delete=models.CASCADE, related_name="+")
    month = models.CharField(max_length=7, help_text=gettext_lazy("YYYY-MM"))
    at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["reader", "story", "month"], name="one_premium_read_per_story_month"
            ),
        ]
        indexes = [models.Index(fields=["reader", "month"])]

    def __str__(self) -> str:
        return f"{self.reader_id} read {self.story_id} in {self.month}"


class PlanGrant(models.Model):
    """A plan a reader holds through someone else's subscription records.

    A newsroom that signs its readers in to the embedded comments says which plan each
    one has; the grant counts like a current subscription (see `entitlements`) but is
    never billed, renewed or expired here: its source keeps it in step.
    """

    reader = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="plan_grant"
    )
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="grants")
    source = models.CharField(
        max_length=80, help_text=gettext_lazy("Who vouches for it, e.g. site:news.")
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.plan} from {self.source}"


class ReceivedWebhook(models.Model):
    """A provider event already applied: the same event id sent again changes nothing.

    Kept in the database, so every app process agrees on what was seen; rows older than
    the retention (subscriptions.conf.webhook_retention) are deleted as new events arrive.
    """

    provider = models.CharField(max_length=40)
    event_id = models.CharField(max_length=255)
    event_type = models.CharField(max_length=100)
    received_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "event_id"], name="one_received_webhook_per_event"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider} {self.event_type} {self.event_id}"
