"""The renewal job: renew what is due, retry what failed, expire what ran out of grace.

Safe to run twice or in several processes at once: each subscription is handled in its
own transaction, re-read under a row lock with the same "is it due?" condition (a second
run finds nothing left to do), and every charge carries an idempotency key that is
unique per subscription, period and attempt, in the provider and in our Payment table.
"""

import logging
from collections import Counter
from datetime import datetime

from django.db import connection, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from broadsheet.notifications.billing import remind_trials_ending
from broadsheet.subscriptions import conf, payments
from broadsheet.subscriptions.models import Payment, Subscription, SubscriptionEvent
from broadsheet.subscriptions.periods import period_end_after
from broadsheet.subscriptions.services import _record_payment, record_event

logger = logging.getLogger(__name__)
Status = Subscription.Status
Cause = SubscriptionEvent.Cause


def due(now: datetime) -> Q:
    return (
        Q(status__in=[Status.TRIALING, Status.ACTIVE], current_period_end__lte=now)
        | Q(status=Status.PAST_DUE, next_attempt_at__lte=now)
        | Q(status=Status.PAST_DUE, past_due_since__lte=now - conf.grace_period())
    )


def renew_due(now: datetime | None = None) -> Counter[str]:
    """Handle every subscription due at `now`; returns how many ended in each outcome."""
    now = now or timezone.now()
    outcomes: Counter[str] = Counter()
    remind_trials_ending(now)
    ids = list(
        Subscription.objects.filter(due(now))
        .order_by("current_period_end")
        .values_list("pk", flat=True)
    )
    for pk in ids:
        try:
            outcome = renew_one(pk, now=now)
        except Exception:
            # One subscription's failure (the provider down, say) must not stop the others.
            logger.exception("renewing subscription %s failed", pk)
            outcome = "error"
        if outcome:
            outcomes[outcome] += 1
    return outcomes


def _locked(queryset: QuerySet[Subscription]) -> QuerySet[Subscription]:
    if connection.features.has_select_for_update_skip_locked:
        # Another worker holding the row is already handling it: skip instead of waiting.
        return queryset.select_for_update(skip_locked=True, of=("self",))
    return queryset.select_for_update()


def renew_one(pk: int, *, now: datetime) -> str | None:
    """Move one subscription on if it is still due; None if another run already did."""
    with transaction.atomic():
        subscription = (
            _locked(Subscription.objects.filter(pk=pk).filter(due(now)))
            .select_related("plan", "pending_plan")
            .first()
        )
        if subscription is None:
            return None
        if subscription.status == Status.PAST_DUE:
            return _retry_or_expire(subscription, now)
        if subscription.cancel_at_period_end:
            before = subscription.status
            subscription.status = Status.CANCELED
            subscription.ended_at = subscription.current_period_end
            subscription.save(update_fields=["status", "ended_at"])
            record_event(subscription, Cause.PERIOD_ENDED, at=now, from_status=before)
            return "canceled"
        return _renew(subscription, now)


def _renew(subscription: Subscription, now: datetime) -> str:
    before, old_plan = subscription.status, subscription.plan
    due_at = subscription.current_period_end
    pending = subscription.pending_plan
    if pending is not None:
        if pending.period != old_plan.period:
            subscription.billing_anchor = due_at
        subscription.plan, subscription.pending_plan = pending, None
    if subscription.billing_anchor is None:  # the end of a trial starts the paid periods
        subscription.billing_anchor = due_at
    if _take_payment(subscription, now, kind=Payment.Kind.RENEWAL, off_session=True):
        subscription.status = Status.ACTIVE
        subscription.save()
        if pending is not None:
            record_event(
                subscription, Cause.DOWNGRADED, at=now, from_status=before, from_plan=old_plan
            )
        cause = Cause.TRIAL_CONVERTED if before == Status.TRIALING else Cause.RENEWED
        record_event(subscription, cause, at=now, from_status=before, from_plan=old_plan)
        return "renewed"
    subscription.status = Status.PAST_DUE
    subscription.past_due_since = due_at
    subscription.failed_attempts = 1
    subscription.next_attempt_at = _next_attempt(subscription, now)
    subscription.save()
    record_event(subscription, Cause.PAYMENT_FAILED, at=now, from_status=before, from_plan=old_plan)
    return "past_due"


def _retry_or_expire(subscription: Subscription, now: datetime) -> str:
    assert subscription.past_due_since is not None
    grace_end = subscription.past_due_since + conf.grace_period()
    if grace_end <= now:
        subscription.status = Status.EXPIRED
        subscription.ended_at = grace_end
        subscription.next_attempt_at = None
        subscription.save(update_fields=["status", "ended_at", "next_attempt_at"])
        record_event(subscription, Cause.GRACE_ENDED, at=now, from_status=Status.PAST_DUE)
        return "expired"
    return (
        "recovered" if settle_overdue(subscription, now=now, off_session=True) else "retry_failed"
    )


def settle_overdue(subscription: Subscription, *, now: datetime, off_session: bool) -> bool:
    """Try the overdue payment again; on success the subscription is active again."""
    if _take_payment(subscription, now, kind=Payment.Kind.RENEWAL, off_session=off_session):
        subscription.status = Status.ACTIVE
        subscription.past_due_since = subscription.next_attempt_at = None
        subscription.failed_attempts = 0
        subscription.save()
        record_event(subscription, Cause.PAYMENT_RECOVERED, at=now, from_status=Status.PAST_DUE)
        return True
    subscription.failed_attempts += 1
    subscription.next_attempt_at = _next_attempt(subscription, now)
    subscription.save(update_fields=["failed_attempts", "next_attempt_at"])
    return False


def _next_attempt(subscription: Subscription, now: datetime) -> datetime:
    assert subscription.past_due_since is not None
    return min(now + conf.retry_interval(), subscription.past_due_since + conf.grace_period())


def _take_payment(
    subscription: Subscription, now: datetime, *, kind: str, off_session: bool
) -> bool:
    """Charge the next period; on success the period moves on. Records the attempt."""
    plan = subscription.plan
    start = subscription.current_period_end
    assert subscription.billing_anchor is not None
    end = period_end_after(subscription.billing_anchor, plan.period, start)
    if plan.price_cents > 0:
        attempt = subscription.failed_attempts + 1
        # Unique per period and attempt; a reader's own retry adds the moment it was made.
        key = f"renewal:{subscription.pk}:{start.isoformat()}:{attempt}"
        if not off_session:
            key += f":{now.isoformat()}"
        charge = payments.provider().charge(
            subscription.payment_method,
            plan.price_cents,
            plan.currency,
            idempotency_key=key,
            description=f"{plan.name}, {start:%-d %b %Y} to {end:%-d %b %Y}",
            off_session=off_session,
        )
        _record_payment(
            subscription, charge, kind=kind, amount_cents=plan.price_cents, key=key, at=now,
            period=(start, end),
        )  # fmt: skip
        if not charge.succeeded:
            return False
    subscription.current_period_start, subscription.current_period_end = start, end
    return True
