"""Readers' decisions and appeals, the notice form, the public pages, and the desk's queues."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from broadsheet.appeals import guidelines, notices, queries, services, transparency
from broadsheet.appeals.forms import AppealDecisionForm, AppealForm, NoticeDecisionForm, NoticeForm
from broadsheet.appeals.grounds import Ground
from broadsheet.core.exceptions import ServiceError
from broadsheet.moderation.views import _desk_context, _user, desk_view

# --- readers -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET"])
def decisions(request: HttpRequest) -> HttpResponse:
    context = {"account_section": "decisions", "statements": queries.own_statements(request.user)}
    return render(request, "appeals/decisions.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def decision(request: HttpRequest, statement_id: int) -> HttpResponse:
    try:
        statement = queries.own_statement(request.user, statement_id)
    except ServiceError as error:
        raise Http404(error.message) from error
    form = AppealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.appeal(request.user, statement.pk, form.cleaned_data["text"])
        except ServiceError as exc:
            form.add_error("text", exc.message)
        else:
            messages.success(
                request, _("Your appeal is sent. We tell you here and by e-mail what we decide.")
            )
            return redirect(statement.get_absolute_url())
    context = {
        "account_section": "decisions",
        "statement": statement,
        "form": form,
        "may_appeal": services.may_appeal(statement),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "appeals/decision.html", context, status=status)


# --- everyone --------------------------------------------------------------------------------


@require_http_methods(["GET"])
def guidelines_page(request: HttpRequest) -> HttpResponse:
    return render(request, "appeals/guidelines.html", {"sections": guidelines.all_sections()})


@require_http_methods(["GET"])
def transparency_page(request: HttpRequest) -> HttpResponse:
    return render(request, "appeals/transparency.html", {"months": transparency.report()})


def _client_address(request: HttpRequest) -> str:
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or "unknown"


@require_http_methods(["GET", "POST"])
def notice(request: HttpRequest) -> HttpResponse:
    initial = {"comment": request.GET.get("comment", "")[:500]}
    user = request.user if request.user.is_authenticated else None
    if user is not None:
        initial |= {"email": user.email, "name": getattr(user, "display_name", "")}
    form = NoticeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            notices.submit(
                notices.NoticeIn(
                    name=data["name"],
                    email=data["email"],
                    comment=data["comment"],
                    law=data["law"],
                    explanation=data["explanation"],
                    good_faith=data["good_faith"],
                ),
                address=_client_address(request),
                sender=user,
            )
        except ServiceError as exc:
            field = {
                "comment_required": "comment",
                "comment_not_found": "comment",
                "invalid_email": "email",
                "law_required": "law",
                "explanation_required": "explanation",
                "good_faith_required": "good_faith",
                "name_required": "name",
            }.get(exc.code)
            form.add_error(field, exc.message)
            status = exc.status if exc.status == 429 else 400
            return render(request, "appeals/notice_form.html", {"form": form}, status=status)
        return render(request, "appeals/notice_sent.html", {"email": data["email"]})
    status = 400 if request.method == "POST" else 200
    return render(request, "appeals/notice_form.html", {"form": form}, status=status)


# --- the desk --------------------------------------------------------------------------------


def _desk(request: HttpRequest, section: str) -> dict[str, Any]:
    return _desk_context(request) | {"desk_section": section, "dsa_counts": queries.desk_counts()}


@desk_view
@require_http_methods(["GET"])
def desk_appeals(request: HttpRequest) -> HttpResponse:
    context = _desk(request, "appeals") | {
        "open": list(queries.open_appeals()[:100]),
        "handled": list(queries.handled_appeals()[:20]),
    }
    return render(request, "appeals/desk_appeals.html", context)


@desk_view
@require_http_methods(["GET", "POST"])
def desk_appeal(request: HttpRequest, appeal_id: int) -> HttpResponse:
    found = queries.appeal_for_desk(appeal_id)
    if found is None:
        raise Http404
    form = AppealDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            handled = services.handle(
                _user(request),
                found.pk,
                form.cleaned_data["outcome"],
                response=form.cleaned_data["response"],
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("Appeal #%(id)s: %(status)s. The reader is told.")
                % {"id": handled.pk, "status": handled.get_status_display()},
            )
            return redirect("appeals_desk:appeals")
    mine = found.statement.decided_by_id == request.user.pk
    context = _desk(request, "appeals") | {"appeal": found, "form": form, "own_decision": mine}
    status = 400 if request.method == "POST" else 200
    return render(request, "appeals/desk_appeal.html", context, status=status)


@desk_view
@require_http_methods(["GET"])
def desk_notices(request: HttpRequest) -> HttpResponse:
    context = _desk(request, "notices") | {
        "open": list(queries.open_notices()[:100]),
        "handled": list(queries.handled_notices()[:20]),
    }
    return render(request, "appeals/desk_notices.html", context)


@desk_view
@require_http_methods(["GET", "POST"])
def desk_notice(request: HttpRequest, notice_id: int) -> HttpResponse:
    found = queries.notice_for_desk(notice_id)
    if found is None:
        raise Http404
    form = NoticeDecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            handled = notices.handle(
                _user(request),
                found.pk,
                form.cleaned_data["action"],
                response=form.cleaned_data["response"],
            )
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("Notice #%(id)s: %(status)s. The sender is told.")
                % {"id": handled.pk, "status": handled.get_status_display()},
            )
            return redirect("appeals_desk:notices")
    context = _desk(request, "notices") | {"notice": found, "form": form, "illegal": Ground.ILLEGAL}
    status = 400 if request.method == "POST" else 200
    return render(request, "appeals/desk_notice.html", context, status=status)
