from django.conf import settings
from django.db import models


class Plan(models.Model):
    """A subscription plan. Plans are data: what a reader may do comes from here."""

    class Period(models.TextChoices):
        MONTH = "month", "monthly"
        YEAR = "year", "yearly"

    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True)
    price_cents = models.PositiveIntegerField(default=0)
    currency = models.CharField(max_length=3, default="EUR")
    period = models.CharField(max_length=5, choices=Period.choices, default=Period.MONTH)
    trial_days = models.PositiveSmallIntegerField(default=0)
    trial_includes_comments = models.BooleanField(default=False)
    is_free = models.BooleanField(
        default=False, help_text="The plan of every registered reader without a subscription."
    )
    is_public = models.BooleanField(default=True)
    is_retired = models.BooleanField(default=False)
    display_order = models.PositiveSmallIntegerField(default=0)
    # Entitlements
    may_comment = models.BooleanField(default=False)
    premium_stories = models.BooleanField(default=False)
    monthly_free_premium = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["display_order", "price_cents"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_free"], condition=models.Q(is_free=True), name="one_free_plan"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Subscription(models.Model):
    """A reader's subscription to a plan and where it is in its lifecycle."""

    class Status(models.TextChoices):
        TRIALING = "trialing"
        ACTIVE = "active"
        PAST_DUE = "past_due"
        CANCELED = "canceled"
        EXPIRED = "expired"

    CURRENT_STATUSES = (Status.TRIALING, Status.ACTIVE, Status.PAST_DUE)

    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions"
    )
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="subscriptions")
    status = models.CharField(max_length=10, choices=Status.choices)
    started_at = models.DateTimeField()
    current_period_end = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    cancel_at_period_end = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["reader"],
                condition=models.Q(status__in=["trialing", "active", "past_due"]),
                name="one_current_subscription_per_reader",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan} ({self.status})"
