"""Pages: the plans, checkout, plan changes, the account's Subscription section, webhooks.

Each view parses its form, calls one service function and renders the result; a refusal
re-renders the page with the service's message and status, having changed nothing.
"""

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from broadsheet.core.exceptions import ServiceError
from broadsheet.subscriptions import conf, payments, queries, services
from broadsheet.subscriptions.forms import (
    ChangePlanForm,
    CheckoutForm,
    SubscriptionForm,
    UpdateCardForm,
    new_idempotency_key,
)
from broadsheet.subscriptions.models import Plan
from broadsheet.subscriptions.payments.offline import TEST_CARDS, OfflineProvider

FORM_CHANGED = gettext_lazy(
    "The form was changed after the page was shown, so nothing was done. Please try again."
)


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def _plan_or_404(slug: str) -> Plan:
    plan = Plan.objects.filter(slug=slug).first()
    if plan is None:
        raise Http404(_("There is no such plan."))
    return plan


def plans(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "subscriptions/plans.html",
        {
            "offers": queries.offers_for(request.user),
            "subscription": services.current_subscription(request.user),
            "next": _next_url(request),
        },
    )


def _test_cards() -> list[Any]:
    if conf.show_test_cards() and isinstance(payments.provider(), OfflineProvider):
        return TEST_CARDS
    return []


def _unavailable(request: HttpRequest, plan: Plan, context: dict[str, Any]) -> HttpResponse | None:
    """The page that says why `plan` cannot be bought (retired, free), or None if it can."""
    try:
        services.plan_for_sale(plan.pk)
    except ServiceError as error:
        return render(
            request,
            "subscriptions/unavailable.html",
            {**context, "error": error},
            status=error.status,
        )
    return None


@login_required
def checkout(request: HttpRequest, slug: str) -> HttpResponse:
    plan = _plan_or_404(slug)
    next_url = _next_url(request)
    current = services.current_subscription(request.user)
    if current is not None:
        if current.plan_id == plan.pk:
            messages.info(request, _("You already subscribe to %(name)s.") % {"name": plan.name})
            return redirect("subscriptions:account")
        return redirect("subscriptions:change", slug=plan.slug)
    context: dict[str, Any] = {"plan": plan, "next": next_url, "test_cards": _test_cards()}
    if unavailable := _unavailable(request, plan, context):
        return unavailable
    form = CheckoutForm(request.POST if request.method == "POST" else None)
    status = 200
    if form.is_bound:
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            if data["plan_id"] != plan.pk:
                form.add_error(None, FORM_CHANGED)
            else:
                try:
                    services.subscribe(
                        request.user,
                        plan=data["plan_id"],
                        card=form.card(),
                        idempotency_key=data["idempotency_key"],
                        expected_price_cents=data["price_cents"],
                    )
                except ServiceError as error:
                    form.add_error("number" if error.status == 402 else None, error.message)
                    status = error.status
                else:
                    messages.success(
                        request,
                        _("Welcome to %(name)s. Thank you for subscribing.") % {"name": plan.name},
                    )
                    return redirect(next_url or "subscriptions:account")
    context.update(
        form=form,
        trial=services.trial_available(request.user, plan),  # type: ignore[arg-type]
        trial_end=timezone.now() + timedelta(days=plan.trial_days),
        # A fresh key for every form shown: a declined attempt must not block the next card.
        idempotency_key=new_idempotency_key(),
    )
    return render(request, "subscriptions/checkout.html", context, status=status)


@login_required
def change(request: HttpRequest, slug: str) -> HttpResponse:
    plan = _plan_or_404(slug)
    subscription = services.current_subscription(request.user)
    if subscription is None:
        return redirect("subscriptions:checkout", slug=plan.slug)
    context: dict[str, Any] = {"plan": plan, "subscription": subscription}
    if unavailable := _unavailable(request, plan, context):
        return unavailable
    form = ChangePlanForm(request.POST if request.method == "POST" else None)
    status = 200
    if form.is_bound:
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            if data["plan_id"] != plan.pk:
                form.add_error(None, FORM_CHANGED)
            else:
                try:
                    services.change_plan(
                        request.user,
                        subscription_id=data["subscription_id"],
                        plan=data["plan_id"],
                        expected_amount_cents=data["amount_cents"],
                    )
                except ServiceError as error:
                    form.add_error(None, error.message)
                    status = error.status
                else:
                    messages.success(request, _changed_message(plan, subscription.plan))
                    return redirect("subscriptions:account")
    context.update(form=form, quote=services.quote_change(subscription, plan, now=timezone.now()))
    return render(request, "subscriptions/change.html", context, status=status)


def _changed_message(plan: Plan, before: Plan) -> str:
    if plan.pk == before.pk:
        return _("You keep %(name)s: the scheduled plan change is withdrawn.") % {"name": plan.name}
    return _("Your change to %(name)s is confirmed.") % {"name": plan.name}


def _account_page(request: HttpRequest, *, status: int = 200, **extra: Any) -> HttpResponse:
    subscription = services.current_subscription(request.user)
    entitlements = services.entitlements(request.user)
    context = {
        "account_section": "subscription",
        "subscription": subscription,
        "entitlements": entitlements,
        "access_ends_at": services.access_ends_at(subscription) if subscription else None,
        "renew_url": queries.renew_url(entitlements.lapsed_plan),
        "payments": queries.payments_of(request.user)[:50],
        "card_form": UpdateCardForm(),
        "test_cards": _test_cards(),
        "now": timezone.now(),
        **extra,
    }
    return render(request, "subscriptions/account.html", context, status=status)


@login_required
def account(request: HttpRequest) -> HttpResponse:
    return _account_page(request)


def _subscription_action(request: HttpRequest, action: Any, done: str) -> HttpResponse:
    form = SubscriptionForm(request.POST)
    if not form.is_valid():
        return _account_page(request, status=400, error=FORM_CHANGED)
    try:
        action(request.user, subscription_id=form.cleaned_data["subscription_id"])
    except ServiceError as error:
        return _account_page(request, status=error.status, error=error.message)
    messages.success(request, done)
    return redirect("subscriptions:account")


@login_required
@require_POST
def cancel(request: HttpRequest) -> HttpResponse:
    return _subscription_action(
        request,
        services.cancel,
        _("Your subscription is cancelled. You keep everything until the end of the period."),
    )


@login_required
@require_POST
def resume(request: HttpRequest) -> HttpResponse:
    return _subscription_action(
        request, services.resume, _("Welcome back: your subscription will renew as before.")
    )


@login_required
@require_POST
def update_card(request: HttpRequest) -> HttpResponse:
    form = UpdateCardForm(request.POST)
    if not form.is_valid():
        return _account_page(request, status=400, card_form=form, card_open=True)
    try:
        services.update_card(
            request.user, subscription_id=form.cleaned_data["subscription_id"], card=form.card()
        )
    except ServiceError as error:
        form.add_error("number" if error.status == 402 else None, error.message)
        return _account_page(request, status=error.status, card_form=form, card_open=True)
    messages.success(request, _("Your card is updated."))
    return redirect("subscriptions:account")


@csrf_exempt  # the provider cannot send our CSRF token; the signature authenticates it
@require_POST
def webhook(request: HttpRequest) -> HttpResponse:
    try:
        event = payments.provider().parse_webhook(request.body, request.headers)
    except payments.InvalidWebhookError as error:
        return JsonResponse(
            {"detail": f"Webhook refused: {error}.", "code": "webhook_refused"}, status=400
        )
    return JsonResponse({"received": event.id, "outcome": services.handle_webhook(event)})
