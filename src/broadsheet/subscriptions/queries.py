"""Reads for readers: the plans on offer and what a reader's subscription looks like."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from broadsheet.accounts.models import User
from broadsheet.accounts.readers import Reader, signed_in
from broadsheet.subscriptions.models import Payment, Plan, Subscription
from broadsheet.subscriptions.services import (
    current_subscription,
    quote_change,
    trial_available,
)


def plans_on_offer() -> QuerySet[Plan]:
    return Plan.objects.filter(is_public=True, is_retired=False)


def payments_of(reader: Reader) -> QuerySet[Payment]:
    user = signed_in(reader)
    if user is None:
        return Payment.objects.none()
    return Payment.objects.filter(reader=user).select_related("plan")


def checkout_url(plan: Plan) -> str:
    return reverse("subscriptions:checkout", kwargs={"slug": plan.slug})


def renew_url(plan: Plan | None) -> str:
    """Where a lapsed reader renews: that plan's checkout if it is still sold, else the plans."""
    if plan is not None and not plan.is_retired and not plan.is_free:
        return checkout_url(plan)
    return reverse("subscriptions:plans")


@dataclass(frozen=True)
class Offer:
    """One plan on the plans page, as this reader sees it: what its button says and does."""

    plan: Plan
    current: bool
    label: str
    url: str
    note: str = ""


def offers_for(reader: Reader, *, now: datetime | None = None) -> list[Offer]:
    now = now or timezone.now()
    user = signed_in(reader)
    subscription = current_subscription(reader)
    offers = []
    for plan in plans_on_offer():
        offers.append(_offer(plan, user, subscription, now))
    return offers


def _starts(subscription: Subscription) -> str:
    day = date_format(subscription.current_period_end, "DATE_FORMAT")
    return _("From %(day)s.") % {"day": day}


def _offer(
    plan: Plan, user: User | None, subscription: Subscription | None, now: datetime
) -> Offer:
    account = reverse("subscriptions:account")
    if plan.is_free:
        if subscription is None:
            if user is None:
                # The free plan is an account; those who have one get a sign-in link beside it.
                return Offer(plan, False, _("Create a free account"), reverse("accounts:sign_up"))
            return Offer(plan, True, _("Your plan"), account)
        return Offer(
            plan, False, _("Cancel to switch"), account, _("After your subscription ends.")
        )
    if subscription is None:
        # A visitor has had no trial yet; a reader gets one trial in all.
        if plan.trial_days and (user is None or trial_available(user, plan)):
            label = _("Start your %(trial_days)s-day free trial") % {"trial_days": plan.trial_days}
        else:
            label = _("Subscribe to %(name)s") % {"name": plan.name}
        return Offer(plan, False, label, checkout_url(plan))
    if subscription.plan_id == plan.pk:
        return Offer(plan, True, _("Your plan"), account)
    change = reverse("subscriptions:change", kwargs={"slug": plan.slug})
    if subscription.pending_plan_id == plan.pk:
        return Offer(plan, False, _("Scheduled"), account, _starts(subscription))
    quote = quote_change(subscription, plan, now=now)
    if quote.immediate:
        return Offer(
            plan, False, _("Upgrade to %(name)s") % {"name": plan.name}, change, _("Starts today.")
        )
    return Offer(
        plan, False, _("Switch to %(name)s") % {"name": plan.name}, change, _starts(subscription),
    )  # fmt: skip
