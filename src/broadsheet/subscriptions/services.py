"""Plans, entitlements and the subscription lifecycle: every rule about subscribing lives here.

Reader-facing changes (subscribe, change plan, cancel, resume, update the card) lock the
reader's row first, so two tabs or a double click are handled one after the other; the
second finds the work done. Each transition writes a SubscriptionEvent in the same
transaction and announces itself after commit.
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.core.validators import slug_re
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from broadsheet.accounts.backends import preloaded_subscription
from broadsheet.accounts.models import User
from broadsheet.accounts.readers import Reader, signed_in
from broadsheet.core import audit
from broadsheet.core.events import publish_on_commit
from broadsheet.core.exceptions import ServiceError
from broadsheet.notifications import billing as billing_mail
from broadsheet.subscriptions import conf, payments
from broadsheet.subscriptions.models import (
    Payment,
    Plan,
    PlanGrant,
    ReceivedWebhook,
    Subscription,
    SubscriptionEvent,
)
from broadsheet.subscriptions.periods import add_months, monthly_price_cents, months_in

Status = Subscription.Status
Cause = SubscriptionEvent.Cause


@dataclass(frozen=True)
class Entitlements:
    plan: Plan | None
    may_comment: bool
    premium_stories: bool
    monthly_free_premium: int
    # Set when the reader's last subscription has ended: when, and to which plan.
    lapsed_at: datetime | None = None
    lapsed_plan: Plan | None = None


# --- entitlements: the one question every other part asks ---------------------------------


def free_plan() -> Plan | None:
    return Plan.objects.filter(is_free=True).first()


def current_subscription(reader: Reader) -> Subscription | None:
    user = signed_in(reader)
    if user is None:
        return None
    preloaded, subscription = preloaded_subscription(user)
    if preloaded:  # read along with the signed-in reader (accounts/backends.py)
        return subscription
    return (
        Subscription.objects.select_related("plan", "pending_plan")
        .filter(reader=user, status__in=Subscription.CURRENT_STATUSES)
        .first()
    )


def access_ends_at(subscription: Subscription) -> datetime | None:
    """When a current subscription stops giving access unless something changes, if known."""
    if subscription.status == Status.PAST_DUE and subscription.past_due_since:
        return subscription.past_due_since + conf.grace_period()
    if subscription.cancel_at_period_end:
        return subscription.current_period_end
    return None


def entitlements(reader: Reader, *, now: datetime | None = None) -> Entitlements:
    """What `reader` (a user or an anonymous visitor) may do, from their effective plan.

    A current subscription gives its plan's entitlements (a trial comments only if the
    plan allows it; an overdue one keeps them through the grace period). Everyone else
    gets the free plan's, and a reader whose subscription ended is told when and which.
    """
    now = now or timezone.now()
    lapsed_at: datetime | None
    lapsed_plan: Plan | None
    subscription = current_subscription(reader)
    if subscription is not None:
        ends = access_ends_at(subscription)
        if ends is None or ends > now:
            plan = subscription.plan
            in_trial = subscription.status == Status.TRIALING
            return Entitlements(
                plan=plan,
                may_comment=plan.may_comment and (not in_trial or plan.trial_includes_comments),
                premium_stories=plan.premium_stories,
                monthly_free_premium=plan.monthly_free_premium,
            )
        # Its end has passed and the renewal job has not caught up yet: it has lapsed.
        lapsed_at, lapsed_plan = ends, subscription.plan
    else:
        last = _last_ended_subscription(reader, now)
        lapsed_at = last.ended_at if last else None
        lapsed_plan = last.plan if last else None
    grant = _plan_grant(reader)
    if grant is not None:
        return Entitlements(
            plan=grant.plan,
            may_comment=grant.plan.may_comment,
            premium_stories=grant.plan.premium_stories,
            monthly_free_premium=grant.plan.monthly_free_premium,
        )
    free = free_plan()
    return Entitlements(
        plan=free,
        may_comment=bool(free and free.may_comment),
        premium_stories=bool(free and free.premium_stories),
        monthly_free_premium=free.monthly_free_premium if free else 0,
        lapsed_at=lapsed_at,
        lapsed_plan=lapsed_plan,
    )


def _plan_grant(reader: Reader) -> PlanGrant | None:
    user = signed_in(reader)
    if user is None:
        return None
    return PlanGrant.objects.select_related("plan").filter(reader=user).first()


def grant_plan(user: User, plan: Plan | None, *, source: str) -> None:
    """Keep the plan `source` vouches for in step: `plan`, or none (the free plan's rights)."""
    with transaction.atomic():
        grant = PlanGrant.objects.select_for_update().filter(reader=user).first()
        before = grant.plan.slug if grant else None
        after = plan.slug if plan else None
        if before == after and (grant is None or grant.source == source):
            return
        if plan is None:
            PlanGrant.objects.filter(reader=user).delete()
        else:
            PlanGrant.objects.update_or_create(
                reader=user, defaults={"plan": plan, "source": source}
            )
        audit.record(
            None, "subscriptions:plan_grant:changed", user, old=before, new=after, source=source
        )


def _last_ended_subscription(reader: Reader, now: datetime) -> Subscription | None:
    user = signed_in(reader)
    if user is None:
        return None
    return (
        Subscription.objects.select_related("plan")
        .filter(reader=user, status__in=[Status.CANCELED, Status.EXPIRED], ended_at__lte=now)
        .order_by("-ended_at")
        .first()
    )


# --- helpers shared by the transitions ------------------------------------------------------


def record_event(
    subscription: Subscription,
    cause: str,
    *,
    at: datetime,
    from_status: str = "",
    from_plan: Plan | None = None,
    actor: User | None = None,
    detail: str = "",
) -> SubscriptionEvent:
    event = SubscriptionEvent.objects.create(
        subscription=subscription,
        at=at,
        cause=cause,
        from_status=from_status,
        to_status=subscription.status,
        from_plan=from_plan,
        to_plan=subscription.plan,
        actor=actor,
        detail=detail,
    )
    billing_mail.event_recorded(event)
    publish_on_commit(
        "subscription.changed",
        f"reader:{subscription.reader_id}",
        subscription=subscription.pk,
        status=subscription.status,
        plan=subscription.plan.slug,
        cause=cause,
    )
    return event


def _require_user(reader: Reader) -> User:
    user = signed_in(reader)
    if user is None:
        raise ServiceError(
            _("Sign in or create an account to subscribe."), code="sign_in_required", status=401
        )
    return user


def _lock_reader(user: User) -> None:
    """Serialise a reader's subscription changes: a double click waits, then finds it done."""
    User.objects.select_for_update().filter(pk=user.pk).first()


def plan_for_sale(plan_ref: Any) -> Plan:
    """The plan a reader asked for by id or slug, refused if unknown, retired or free."""
    plan = None
    ref = str(plan_ref or "").strip()
    # Only well-formed ids and slugs reach the database (no NUL bytes, no huge numbers).
    if re.fullmatch(r"[0-9]{1,18}", ref):
        plan = Plan.objects.filter(pk=int(ref)).first()
    elif slug_re.fullmatch(ref):
        plan = Plan.objects.filter(slug=ref).first()
    if plan is None:
        raise ServiceError(_("There is no such plan."), code="unknown_plan", status=404)
    if plan.is_retired:
        raise ServiceError(
            _("The %(name)s plan is no longer offered. Please choose another plan.")
            % {"name": plan.name},
            code="plan_retired",
            status=409,
        )
    if plan.is_free:
        raise ServiceError(
            _("%(name)s is free with an account: there is nothing to subscribe to.")
            % {"name": plan.name},
            code="plan_is_free",
        )
    return plan


def _own_current_subscription(user: User, subscription_id: Any) -> Subscription:
    """The reader's own current subscription, locked; someone else's is simply not found."""
    try:
        pk = int(subscription_id)
    except (TypeError, ValueError):
        pk = 0
    subscription = (
        Subscription.objects.select_for_update(of=("self",))
        .select_related("plan", "pending_plan")
        .filter(pk=pk, reader=user)
        .first()
    )
    if subscription is None:
        raise ServiceError(
            _("We could not find that subscription on your account."), code="not_found", status=404
        )
    if not subscription.is_current:
        raise ServiceError(
            _("That subscription has already ended (%(get_status_display)s).")
            % {"get_status_display": subscription.get_status_display()},
            code="subscription_ended",
            status=409,
        )
    return subscription


def _save_card(card: dict[str, str]) -> payments.SavedCard:
    try:
        return payments.provider().save_card(card)
    except payments.PaymentError as error:
        raise ServiceError(error.message, code=error.code, status=402) from None


def _charge_on_session(
    subscription: Subscription, amount_cents: int, *, key: str, description: str
) -> payments.Charge:
    charge = payments.provider().charge(
        subscription.payment_method,
        amount_cents,
        subscription.plan.currency,
        idempotency_key=key,
        description=description,
        off_session=False,
    )
    if not charge.succeeded:
        raise ServiceError(
            charge.failure_message or _("Your card was declined."), code="card_declined", status=402
        )
    return charge


def _record_payment(
    subscription: Subscription,
    charge: payments.Charge,
    *,
    kind: str,
    amount_cents: int,
    key: str,
    at: datetime,
    period: tuple[datetime | None, datetime | None] = (None, None),
) -> Payment:
    payment = Payment.objects.create(
        reader_id=subscription.reader_id,
        subscription=subscription,
        plan=subscription.plan,
        kind=kind,
        status=Payment.Status.SUCCEEDED if charge.succeeded else Payment.Status.FAILED,
        amount_cents=amount_cents,
        currency=subscription.plan.currency,
        provider=payments.provider().name,
        reference=charge.reference,
        card_last4=subscription.card_last4,
        failure_message=charge.failure_message,
        period_start=period[0],
        period_end=period[1],
        idempotency_key=key,
        created_at=at,
    )
    billing_mail.payment_recorded(payment)
    return payment


def trial_available(user: User, plan: Plan) -> bool:
    """One free trial per reader: only if the plan has one and they never had a trial."""
    return (
        plan.trial_days > 0 and not user.subscriptions.filter(trial_ends_at__isnull=False).exists()
    )


# --- subscribe -----------------------------------------------------------------------------


def subscribe(
    reader: Reader,
    *,
    plan: Any,
    card: dict[str, str],
    idempotency_key: str,
    expected_price_cents: int | None = None,
    now: datetime | None = None,
) -> Subscription:
    """Start a subscription: a trial if the reader has not had one, else the first payment.

    The same `idempotency_key` (one per checkout form) returns the subscription it made
    instead of charging again.
    """
    now = now or timezone.now()
    user = _require_user(reader)
    key = (idempotency_key or "").strip()
    if not 16 <= len(key) <= 64:
        raise ServiceError(
            _("This form has expired. Please reload the page and try again."), code="invalid_key"
        )
    try:
        with transaction.atomic():
            _lock_reader(user)
            done = Subscription.objects.filter(idempotency_key=key).first()
            if done is not None:
                if done.reader_id != user.pk:
                    raise ServiceError(
                        _("This form was already used. Please reload the page."), code="invalid_key"
                    )
                return done
            return _subscribe(user, plan, card, key, expected_price_cents, now)
    except IntegrityError:
        # A concurrent request with the same key or for the same reader won the race.
        done = Subscription.objects.filter(idempotency_key=key, reader=user).first()
        if done is not None:
            return done
        raise _already_subscribed(current_subscription(user)) from None


def _already_subscribed(current: Subscription | None) -> ServiceError:
    name = current.plan.name if current else _("a plan")
    return ServiceError(
        _("You already subscribe to %(name)s. Change your plan from your account instead.")
        % {"name": name},
        code="already_subscribed",
        status=409,
    )


def _subscribe(
    user: User,
    plan_ref: Any,
    card: dict[str, str],
    key: str,
    expected_price_cents: int | None,
    now: datetime,
) -> Subscription:
    current = current_subscription(user)
    if current is not None:
        raise _already_subscribed(current)
    plan = plan_for_sale(plan_ref)
    if expected_price_cents is not None and expected_price_cents != plan.price_cents:
        raise ServiceError(
            _(
                "The price of %(name)s is not the one in your form. Please check the price on this "
                "page and confirm again."
            )
            % {"name": plan.name},
            code="price_changed",
            status=409,
        )
    saved = _save_card(card)
    subscription = Subscription(
        reader=user,
        plan=plan,
        started_at=now,
        payment_method=saved.token,
        card_brand=saved.brand,
        card_last4=saved.last4,
        idempotency_key=key,
    )
    if trial_available(user, plan):
        subscription.status = Status.TRIALING
        subscription.trial_ends_at = subscription.current_period_end = now + timedelta(
            days=plan.trial_days
        )
        subscription.current_period_start = now
        subscription.save()
        record_event(subscription, Cause.TRIAL_STARTED, at=now, actor=user)
        return subscription
    subscription.status = Status.ACTIVE
    subscription.billing_anchor = subscription.current_period_start = now
    subscription.current_period_end = add_months(now, months_in(plan.period))
    charge_key = f"first:{key}"
    charge = _charge_on_session(
        subscription, plan.price_cents, key=charge_key, description=f"{plan.name}, first period"
    )
    subscription.save()
    _record_payment(
        subscription,
        charge,
        kind=Payment.Kind.FIRST,
        amount_cents=plan.price_cents,
        key=charge_key,
        at=now,
        period=(now, subscription.current_period_end),
    )
    record_event(subscription, Cause.SUBSCRIBED, at=now, actor=user)
    return subscription


# --- changing plan -------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanChange:
    """What moving `subscription` to `plan` would do, shown before the reader confirms."""

    plan: Plan
    immediate: bool  # an upgrade takes effect now; a downgrade at the period end
    amount_cents: int  # charged now: the prorated difference for the rest of the period
    effective_at: datetime


def quote_change(subscription: Subscription, plan: Plan, *, now: datetime) -> PlanChange:
    """Upgrades (a dearer plan per month, same billing period) apply now and are prorated:
    the reader pays the difference for the days left in the period, and the renewal date
    stays. Anything else waits for the period end, so nobody loses time they paid for."""
    current = subscription.plan
    upgrade = plan.period == current.period and monthly_price_cents(plan) > monthly_price_cents(
        current
    )
    if not upgrade:
        return PlanChange(plan, False, 0, subscription.current_period_end)
    if subscription.status == Status.TRIALING:
        return PlanChange(plan, True, 0, now)
    start = subscription.current_period_start or subscription.started_at
    length = (subscription.current_period_end - start).total_seconds()
    left = max((subscription.current_period_end - now).total_seconds(), 0)
    share = left / length if length > 0 else 0
    amount = round((plan.price_cents - current.price_cents) * share)
    return PlanChange(plan, True, max(amount, 0), now)


def change_plan(
    reader: Reader,
    *,
    subscription_id: Any,
    plan: Any,
    expected_amount_cents: int | None = None,
    now: datetime | None = None,
) -> Subscription:
    """Upgrade now (prorated) or schedule a downgrade for the period end; choosing the
    current plan again withdraws a scheduled change."""
    now = now or timezone.now()
    user = _require_user(reader)
    with transaction.atomic():
        _lock_reader(user)
        subscription = _own_current_subscription(user, subscription_id)
        target = plan_for_sale(plan)
        if target.pk == subscription.plan_id:
            if subscription.pending_plan_id is not None:
                subscription.pending_plan = None
                subscription.save(update_fields=["pending_plan"])
                record_event(
                    subscription,
                    Cause.DOWNGRADE_WITHDRAWN,
                    at=now,
                    from_status=subscription.status,
                    actor=user,
                )
            return subscription  # already on it: a repeated click changes nothing
        if subscription.status == Status.PAST_DUE:
            raise ServiceError(
                _("Your last payment did not go through. Update your card before changing plan."),
                code="payment_overdue",
                status=409,
            )
        if subscription.cancel_at_period_end:
            raise ServiceError(
                _("Your subscription is set to end. Resume it before changing plan."),
                code="ending",
                status=409,
            )
        quote = quote_change(subscription, target, now=now)
        if expected_amount_cents is not None and expected_amount_cents != quote.amount_cents:
            raise ServiceError(
                _(
                    "The amount to pay has changed since the page was shown. "
                    "Please review it and confirm again."
                ),
                code="price_changed",
                status=409,
            )
        if not quote.immediate:
            if subscription.pending_plan_id == target.pk:
                return subscription
            subscription.pending_plan = target
            subscription.save(update_fields=["pending_plan"])
            record_event(
                subscription,
                Cause.DOWNGRADE_SCHEDULED,
                at=now,
                from_status=subscription.status,
                actor=user,
                detail=f"to {target.name} on {quote.effective_at:%Y-%m-%d}",
            )
            return subscription
        old_plan = subscription.plan
        subscription.plan = target
        subscription.pending_plan = None
        if quote.amount_cents > 0:
            key = f"upgrade:{subscription.pk}:{target.pk}:{now.isoformat()}"
            charge = _charge_on_session(
                subscription, quote.amount_cents, key=key, description=f"Upgrade to {target.name}"
            )
            _record_payment(
                subscription,
                charge,
                kind=Payment.Kind.UPGRADE,
                amount_cents=quote.amount_cents,
                key=key,
                at=now,
                period=(now, subscription.current_period_end),
            )
        subscription.save(update_fields=["plan", "pending_plan"])
        record_event(
            subscription,
            Cause.UPGRADED,
            at=now,
            from_status=subscription.status,
            from_plan=old_plan,
            actor=user,
        )
        return subscription


# --- cancel, resume, card ------------------------------------------------------------------


def cancel(reader: Reader, *, subscription_id: Any, now: datetime | None = None) -> Subscription:
    """Cancel at the end of the period the reader paid for (an overdue one ends now)."""
    now = now or timezone.now()
    user = _require_user(reader)
    with transaction.atomic():
        _lock_reader(user)
        subscription = _own_current_subscription(user, subscription_id)
        before = subscription.status
        if subscription.status == Status.PAST_DUE:
            subscription.status = Status.CANCELED
            subscription.ended_at = now
            subscription.next_attempt_at = None
            subscription.save(update_fields=["status", "ended_at", "next_attempt_at"])
            record_event(subscription, Cause.CANCELED_NOW, at=now, from_status=before, actor=user)
            return subscription
        if subscription.cancel_at_period_end:
            raise ServiceError(
                _("Your subscription is already set to end on %(current_period_end)s.")
                % {"current_period_end": format(subscription.current_period_end, "%-d %B %Y")},
                code="already_canceled",
                status=409,
            )
        subscription.cancel_at_period_end = True
        subscription.pending_plan = None
        subscription.save(update_fields=["cancel_at_period_end", "pending_plan"])
        record_event(
            subscription,
            Cause.CANCEL_REQUESTED,
            at=now,
            from_status=before,
            actor=user,
            detail=f"ends {subscription.current_period_end:%Y-%m-%d}",
        )
        return subscription


def resume(reader: Reader, *, subscription_id: Any, now: datetime | None = None) -> Subscription:
    """Undo a cancellation before the period ends."""
    now = now or timezone.now()
    user = _require_user(reader)
    with transaction.atomic():
        _lock_reader(user)
        subscription = _own_current_subscription(user, subscription_id)
        if not subscription.cancel_at_period_end:
            raise ServiceError(
                _("Your subscription is not set to end: there is nothing to resume."),
                code="not_canceled",
                status=409,
            )
        if subscription.current_period_end <= now:
            raise ServiceError(
                _("Your subscription has already ended. Subscribe again from the plans page."),
                code="subscription_ended",
                status=409,
            )
        subscription.cancel_at_period_end = False
        subscription.save(update_fields=["cancel_at_period_end"])
        record_event(
            subscription, Cause.RESUMED, at=now, from_status=subscription.status, actor=user
        )
        return subscription


def end_now(user: User, *, now: datetime | None = None) -> Subscription | None:
    """End the reader's current subscription at once, charging nothing more.

    For an account being erased: the reader asked to leave, so no period is left to run.
    """
    now = now or timezone.now()
    with transaction.atomic():
        _lock_reader(user)
        subscription = (
            Subscription.objects.select_related("plan")
            .filter(reader=user, status__in=Subscription.CURRENT_STATUSES)
            .first()
        )
        if subscription is None:
            return None
        before = subscription.status
        subscription.status = Status.CANCELED
        subscription.ended_at = now
        subscription.next_attempt_at = None
        subscription.cancel_at_period_end = False
        subscription.pending_plan = None
        subscription.save(
            update_fields=[
                "status",
                "ended_at",
                "next_attempt_at",
                "cancel_at_period_end",
                "pending_plan",
            ]
        )
        record_event(
            subscription, Cause.CANCELED_NOW, at=now, from_status=before, detail="account deleted"
        )
        return subscription


def update_card(
    reader: Reader, *, subscription_id: Any, card: dict[str, str], now: datetime | None = None
) -> Subscription:
    """Replace the saved card; an overdue payment is taken with it at once."""
    from broadsheet.subscriptions.renewals import settle_overdue

    now = now or timezone.now()
    user = _require_user(reader)
    with transaction.atomic():
        _lock_reader(user)
        subscription = _own_current_subscription(user, subscription_id)
        saved = _save_card(card)
        subscription.payment_method = saved.token
        subscription.card_brand = saved.brand
        subscription.card_last4 = saved.last4
        subscription.save(update_fields=["payment_method", "card_brand", "card_last4"])
        record_event(
            subscription,
            Cause.CARD_UPDATED,
            at=now,
            from_status=subscription.status,
            actor=user,
            detail=f"{saved.brand} ending {saved.last4}",
        )
        if subscription.status == Status.PAST_DUE and not settle_overdue(
            subscription, now=now, off_session=False
        ):
            raise ServiceError(
                _("Your new card was declined. Nothing was changed."),
                code="card_declined",
                status=402,
            )
        return subscription


# --- provider webhooks ---------------------------------------------------------------------


def handle_webhook(event: payments.WebhookEvent, *, now: datetime | None = None) -> str:
    """Apply a verified provider event once; returns what happened, for the provider's log.

    Handled: "charge.refunded" (a refund made in the processor's dashboard). Other event
    types are acknowledged and ignored, so the provider does not keep resending them. An
    event id seen before is a replay, or a re-send of an event whose answer was lost: it
    changes nothing and is answered "duplicate" (a 2xx, so a processor stops re-sending).
    The id is written in the same transaction as the event's effect, so two processes
    receiving the same event at once apply it once, and a failure leaves it unseen.
    """
    now = now or timezone.now()
    provider_name = payments.provider().name
    try:
        with transaction.atomic():
            ReceivedWebhook.objects.create(
                provider=provider_name,
                event_id=event.id,
                event_type=event.type[:100],
                received_at=now,
            )
            outcome = _apply_webhook(event, provider_name)
    except IntegrityError:
        return "duplicate"
    ReceivedWebhook.objects.filter(received_at__lt=now - conf.webhook_retention()).delete()
    return outcome


def _apply_webhook(event: payments.WebhookEvent, provider_name: str) -> str:
    if event.type != "charge.refunded":
        return "ignored"
    reference = str(event.data.get("reference", ""))
    updated = Payment.objects.filter(
        reference=reference, status=Payment.Status.SUCCEEDED, provider=provider_name
    ).update(status=Payment.Status.REFUNDED)
    return "refunded" if updated else "unknown_payment"
