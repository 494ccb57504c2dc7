"""Pages of "Your data": each parses the request, calls one service and renders."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from broadsheet.accounts.models import User
from broadsheet.accounts.readers import signed_in
from broadsheet.core.exceptions import ServiceError
from broadsheet.privacy import addresses, conf, downloads, erasure
from broadsheet.privacy.forms import DeleteAccountForm, EmailChangeForm


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _account(request: HttpRequest) -> User:
    user = signed_in(request.user)
    assert user is not None  # the view is behind login_required
    return user


def _data_page(
    request: HttpRequest, delete_form: DeleteAccountForm, status: int = 200
) -> HttpResponse:
    user = _account(request)
    export = downloads.latest(user)
    if export and export.expires_at and export.expires_at <= timezone.now():
        export = None  # its link no longer works; the hourly clean-up deletes the file
    return render(
        request,
        "privacy/data.html",
        {
            "account_section": "data",
            "export": export,
            "download_token": downloads.link_token(export)
            if export and export.status == export.Status.READY
            else "",
            "link_hours": int(conf.export_link_age().total_seconds() // 3600),
            "grace_days": conf.deletion_grace().days,
            "delete_form": delete_form,
        },
        status=status,
    )


@login_required
def data(request: HttpRequest) -> HttpResponse:
    return _data_page(request, DeleteAccountForm(_account(request)))


@require_POST
@login_required
def request_download(request: HttpRequest) -> HttpResponse:
    try:
        downloads.request_download(_account(request))
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("We are preparing your file. We will e-mail you a link when it is ready."),
        )
    return redirect("privacy:data")


@login_required
def download(request: HttpRequest, token: str) -> HttpResponseBase:
    try:
        path, filename = downloads.open_download(_account(request), token)
    except ServiceError as error:
        return render(
            request,
            "privacy/link_failed.html",
            {"message": error.message, "code": error.code},
            status=error.status,
        )
    response = FileResponse(
        path.open("rb"), as_attachment=True, filename=filename, content_type="application/json"
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@login_required
def delete_account(request: HttpRequest) -> HttpResponse:
    user = _account(request)
    form = DeleteAccountForm(user, request.POST)
    if not form.is_valid():
        return _data_page(request, form, status=400)
    deletion = erasure.request_deletion(
        user, keep_comments=form.keep_comments, base_url=_base_url(request)
    )
    logout(request)
    messages.warning(request, erasure.deletion_message(deletion))
    return redirect("accounts:sign_in")


@login_required
def change_email(request: HttpRequest) -> HttpResponse:
    user = _account(request)
    form = EmailChangeForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            change = addresses.request_change(
                user, form.cleaned_data["new_email"], base_url=_base_url(request)
            )
        except ServiceError as error:
            form.add_error("new_email", error.message)
        else:
            messages.success(
                request,
                _(
                    "We have sent a link to %(address)s. Your address changes when you open "
                    "it; until then, sign in with %(current)s."
                )
                % {"address": change.new_email, "current": user.email},
            )
            return redirect("accounts:security")
    return render(
        request,
        "privacy/change_email.html",
        {
            "account_section": "security",
            "form": form,
            "pending": addresses.pending_change(user),
            "hours": int(conf.email_change_age().total_seconds() // 3600),
        },
        status=400 if form.errors else 200,
    )


def confirm_email(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user = addresses.confirm_change(token, base_url=_base_url(request))
    except ServiceError as error:
        return render(
            request,
            "privacy/link_failed.html",
            {"message": error.message, "code": error.code},
            status=error.status,
        )
    return render(request, "privacy/email_changed.html", {"email": user.email})


def not_me(request: HttpRequest, token: str) -> HttpResponse:
    # A mail scanner opening the link must change nothing: the reader presses the button.
    try:
        if request.method == "POST":
            user = addresses.not_me(token)
            if request.user.is_authenticated and request.user.pk == user.pk:
                logout(request)
            return render(request, "privacy/not_me_done.html", {"email": user.email})
        change = addresses.check_not_me(token)
    except ServiceError as error:
        return render(
            request,
            "privacy/link_failed.html",
            {"message": error.message, "code": error.code},
            status=error.status,
        )
    return render(request, "privacy/not_me.html", {"change": change})
