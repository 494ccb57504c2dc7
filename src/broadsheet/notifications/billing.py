"""E-mails a subscription needs: receipt, trial ending, payment failed, cancelled, ended.

The subscription services and the renewal job call these inside the transaction that
causes them; each e-mail is keyed by the payment or subscription event it reports, so
it goes out once however often the job runs.
"""

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction

from broadsheet.notifications import mail
from broadsheet.notifications.mail import Builder, Email, render_email, site_url
from broadsheet.notifications.models import Delivery
from broadsheet.notifications.preferences import preferences_for
from broadsheet.subscriptions import conf
from broadsheet.subscriptions.models import Payment, Subscription, SubscriptionEvent

Cause = SubscriptionEvent.Cause
TRIAL_REMINDER = timedelta(days=3)
TEMPLATE = "notifications/email/subscription.html"

# Which subscription events are e-mailed, and as what.
EMAIL_FOR_CAUSE = {
    Cause.PAYMENT_FAILED: "payment_failed",
    Cause.CANCEL_REQUESTED: "cancelled",
    Cause.CANCELED_NOW: "cancelled",
    Cause.PERIOD_ENDED: "ended",
    Cause.GRACE_ENDED: "ended",
}


# --- the calls the subscription services make ----------------------------------------------


def payment_recorded(payment: Payment) -> None:
    if payment.status == Payment.Status.SUCCEEDED:
        mail.queue(
            payment.reader_id, "receipt", f"receipt:{payment.pk}", payload={"payment": payment.pk}
        )


def event_recorded(event: SubscriptionEvent) -> None:
    kind = EMAIL_FOR_CAUSE.get(SubscriptionEvent.Cause(event.cause))
    if kind is not None:
        mail.queue(
            event.subscription.reader_id,
            kind,
            f"{kind}:{event.pk}",
            payload={"event": event.pk, "subscription": event.subscription_id},
        )


def remind_trials_ending(now: datetime) -> int:
    """Tell readers whose trial turns into a paid plan within three days; once per trial."""
    ending = Subscription.objects.filter(
        status=Subscription.Status.TRIALING,
        cancel_at_period_end=False,
        trial_ends_at__gt=now,
        trial_ends_at__lte=now + TRIAL_REMINDER,
    )
    reminded = 0
    for subscription in ending:
        assert subscription.trial_ends_at is not None
        with transaction.atomic():
            reminded += (
                mail.queue(
                    subscription.reader_id,
                    "trial_ending",
                    f"trial_ending:{subscription.pk}:{subscription.trial_ends_at:%Y%m%d}",
                    payload={"subscription": subscription.pk},
                )
                is not None
            )
    return reminded


# --- what they say -------------------------------------------------------------------------


def _render(kind: str, context: dict[str, Any]) -> Email:
    context = {
        "kind": kind,
        "account_url": f"{site_url()}/accounts/subscription/",
        "card_url": f"{site_url()}/accounts/subscription/",
        "plans_url": f"{site_url()}/plans/",
        **context,
    }
    return render_email(TEMPLATE, context, topic="account")


def _wanted(delivery: Delivery) -> bool:
    return preferences_for(delivery.recipient_id).account_emails


def _subscription(delivery: Delivery) -> Subscription | None:
    return (
        Subscription.objects.select_related("plan")
        .filter(pk=delivery.payload.get("subscription"), reader_id=delivery.recipient_id)
        .first()
    )


def receipt(delivery: Delivery) -> Email | None:
    payment = (
        Payment.objects.select_related("plan")
        .filter(pk=delivery.payload.get("payment"), reader_id=delivery.recipient_id)
        .first()
    )
    if payment is None or not _wanted(delivery):
        return None
    return _render("receipt", {"payment": payment, "plan": payment.plan})


def trial_ending(delivery: Delivery) -> Email | None:
    subscription = _subscription(delivery)
    if (
        subscription is None
        or subscription.status != Subscription.Status.TRIALING
        or subscription.cancel_at_period_end
        or not _wanted(delivery)
    ):
        return None
    return _render("trial_ending", {"subscription": subscription, "plan": subscription.plan})


def payment_failed(delivery: Delivery) -> Email | None:
    subscription = _subscription(delivery)
    if (
        subscription is None
        or subscription.status != Subscription.Status.PAST_DUE
        or subscription.past_due_since is None
        or not _wanted(delivery)
    ):
        return None  # paid meanwhile (a new card, a retry) or ended: nothing to ask for
    return _render(
        "payment_failed",
        {
            "subscription": subscription,
            "plan": subscription.plan,
            "grace_ends_at": subscription.past_due_since + conf.grace_period(),
        },
    )


def _event(delivery: Delivery) -> SubscriptionEvent | None:
    return (
        SubscriptionEvent.objects.select_related("subscription__plan")
        .filter(pk=delivery.payload.get("event"), subscription__reader_id=delivery.recipient_id)
        .first()
    )


def cancelled(delivery: Delivery) -> Email | None:
    event = _event(delivery)
    if event is None or not _wanted(delivery):
        return None
    subscription = event.subscription
    if event.cause == Cause.CANCEL_REQUESTED and not subscription.cancel_at_period_end:
        return None  # resumed before this was sent
    ends_at = subscription.ended_at or subscription.current_period_end
    return _render(
        "cancelled", {"subscription": subscription, "plan": subscription.plan, "ends_at": ends_at}
    )


def ended(delivery: Delivery) -> Email | None:
    event = _event(delivery)
    if event is None or not _wanted(delivery):
        return None
    subscription = event.subscription
    return _render(
        "ended",
        {
            "subscription": subscription,
            "plan": subscription.plan,
            "unpaid": event.cause == Cause.GRACE_ENDED,
        },
    )


BUILDERS: dict[str, Builder] = {
    "receipt": receipt,
    "trial_ending": trial_ending,
    "payment_failed": payment_failed,
    "cancelled": cancelled,
    "ended": ended,
}
