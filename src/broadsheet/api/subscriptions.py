"""The subscriptions API: plans, the reader's subscription and entitlements, and changes to it.

The same service functions as the pages, with the same refusals as {"detail", "code"}.
"""

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status
from ninja.security import django_auth

from broadsheet.api.errors import ErrorOut
from broadsheet.core.exceptions import ServiceError
from broadsheet.subscriptions import queries, services
from broadsheet.subscriptions.forms import CardForm
from broadsheet.subscriptions.models import Payment, Plan, Subscription

router = Router(tags=["subscriptions"])


class PlanOut(Schema):
    slug: str
    name: str
    description: str
    price_cents: int
    currency: str
    period: str
    trial_days: int
    trial_includes_comments: bool
    may_comment: bool
    premium_stories: bool
    monthly_free_premium: int
    is_free: bool


class SubscriptionOut(Schema):
    id: int
    plan: PlanOut
    status: str
    started_at: datetime
    current_period_end: datetime
    trial_ends_at: datetime | None
    cancel_at_period_end: bool
    pending_plan: str | None
    access_ends_at: datetime | None
    card_last4: str


class EntitlementsOut(Schema):
    plan: str | None
    plan_name: str | None
    may_comment: bool
    premium_stories: bool
    monthly_free_premium: int
    lapsed_at: datetime | None
    lapsed_plan: str | None


class PaymentOut(Schema):
    created_at: datetime
    plan: str
    kind: str
    status: str
    amount_cents: int
    currency: str
    card_last4: str
    failure_message: str

    @staticmethod
    def resolve_plan(payment: Payment) -> str:
        return payment.plan.slug


class SubscribeIn(Schema):
    plan: str
    card_number: str
    exp: str
    cvc: str
    idempotency_key: str
    expected_price_cents: int | None = None


class ChangeIn(Schema):
    plan: str
    expected_amount_cents: int | None = None


def _subscription_out(subscription: Subscription) -> SubscriptionOut:
    return SubscriptionOut(
        id=subscription.pk,
        plan=PlanOut.from_orm(subscription.plan),
        status=subscription.status,
        started_at=subscription.started_at,
        current_period_end=subscription.current_period_end,
        trial_ends_at=subscription.trial_ends_at,
        cancel_at_period_end=subscription.cancel_at_period_end,
        pending_plan=subscription.pending_plan.slug if subscription.pending_plan else None,
        access_ends_at=services.access_ends_at(subscription),
        card_last4=subscription.card_last4,
    )


@router.get("/", response=list[PlanOut], summary="The plans on offer")
def list_plans(request: HttpRequest) -> list[Plan]:
    return list(queries.plans_on_offer())


@router.get("/entitlements", response=EntitlementsOut, summary="What the caller may do")
def my_entitlements(request: HttpRequest) -> EntitlementsOut:
    ent = services.entitlements(request.user)
    return EntitlementsOut(
        plan=ent.plan.slug if ent.plan else None,
        plan_name=ent.plan.name if ent.plan else None,
        may_comment=ent.may_comment,
        premium_stories=ent.premium_stories,
        monthly_free_premium=ent.monthly_free_premium,
        lapsed_at=ent.lapsed_at,
        lapsed_plan=ent.lapsed_plan.slug if ent.lapsed_plan else None,
    )


@router.get(
    "/subscription",
    auth=django_auth,
    response={200: SubscriptionOut | None},
    summary="The caller's current subscription (null if none)",
)
def my_subscription(request: HttpRequest) -> SubscriptionOut | None:
    subscription = services.current_subscription(request.user)
    return _subscription_out(subscription) if subscription else None


@router.get("/payments", auth=django_auth, response=list[PaymentOut], summary="Payment history")
def my_payments(request: HttpRequest) -> list[Payment]:
    return list(queries.payments_of(request.user)[:100])


@router.post(
    "/subscription",
    auth=django_auth,
    response={201: SubscriptionOut, **dict.fromkeys([400, 402, 404, 409, 422], ErrorOut)},
    summary="Subscribe (idempotent per idempotency_key)",
)
def subscribe(request: HttpRequest, payload: SubscribeIn) -> Status[SubscriptionOut]:
    card = CardForm({"number": payload.card_number, "exp": payload.exp, "cvc": payload.cvc})
    if not card.is_valid():
        field, errors = next(iter(card.errors.items()))
        raise ServiceError(str(errors[0]), code=f"invalid_{field}", status=422)
    subscription = services.subscribe(
        request.user,
        plan=payload.plan,
        card=card.card(),
        idempotency_key=payload.idempotency_key,
        expected_price_cents=payload.expected_price_cents,
    )
    return Status(201, _subscription_out(subscription))


@router.post(
    "/subscription/{subscription_id}/change",
    auth=django_auth,
    response={200: SubscriptionOut, 402: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Upgrade now (prorated) or switch at the period end",
)
def change(request: HttpRequest, subscription_id: int, payload: ChangeIn) -> SubscriptionOut:
    return _subscription_out(
        services.change_plan(
            request.user,
            subscription_id=subscription_id,
            plan=payload.plan,
            expected_amount_cents=payload.expected_amount_cents,
        )
    )


@router.post(
    "/subscription/{subscription_id}/cancel",
    auth=django_auth,
    response={200: SubscriptionOut, 404: ErrorOut, 409: ErrorOut},
    summary="Cancel at the end of the paid period",
)
def cancel(request: HttpRequest, subscription_id: int) -> SubscriptionOut:
    return _subscription_out(services.cancel(request.user, subscription_id=subscription_id))


@router.post(
    "/subscription/{subscription_id}/resume",
    auth=django_auth,
    response={200: SubscriptionOut, 404: ErrorOut, 409: ErrorOut},
    summary="Undo a cancellation before the period ends",
)
def resume(request: HttpRequest, subscription_id: int) -> SubscriptionOut:
    return _subscription_out(services.resume(request.user, subscription_id=subscription_id))
