"""Plans and entitlements: the one place every other part asks what a reader may do."""

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from broadsheet.accounts.readers import Reader, signed_in
from broadsheet.subscriptions.models import Plan, Subscription


@dataclass(frozen=True)
class Entitlements:
    plan: Plan | None
    may_comment: bool
    premium_stories: bool
    monthly_free_premium: int
    # Set when the reader's last subscription has ended: when, and to which plan.
    lapsed_at: datetime | None = None
    lapsed_plan: Plan | None = None


def free_plan() -> Plan | None:
    return Plan.objects.filter(is_free=True).first()


def current_subscription(reader: Reader) -> Subscription | None:
    user = signed_in(reader)
    if user is None:
        return None
    return (
        Subscription.objects.select_related("plan")
        .filter(reader=user, status__in=Subscription.CURRENT_STATUSES)
        .first()
    )


def entitlements(reader: Reader) -> Entitlements:
    """What `reader` (a user or an anonymous visitor) may do, from their effective plan."""
    subscription = current_subscription(reader)
    if subscription is not None:
        plan = subscription.plan
        in_trial = subscription.status == Subscription.Status.TRIALING
        return Entitlements(
            plan=plan,
            may_comment=plan.may_comment and (not in_trial or plan.trial_includes_comments),
            premium_stories=plan.premium_stories,
            monthly_free_premium=plan.monthly_free_premium,
        )
    free = free_plan()
    lapsed = _last_ended_subscription(reader)
    return Entitlements(
        plan=free,
        may_comment=bool(free and free.may_comment),
        premium_stories=bool(free and free.premium_stories),
        monthly_free_premium=free.monthly_free_premium if free else 0,
        lapsed_at=lapsed.ended_at if lapsed else None,
        lapsed_plan=lapsed.plan if lapsed else None,
    )


def _last_ended_subscription(reader: Reader) -> Subscription | None:
    user = signed_in(reader)
    if user is None:
        return None
    return (
        Subscription.objects.select_related("plan")
        .filter(reader=user, ended_at__lte=timezone.now())
        .order_by("-ended_at")
        .first()
    )
