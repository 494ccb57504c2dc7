"""Pages of the accounts app: each parses the request, calls one service and renders."""

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from broadsheet.accounts import conf, display_names, services
from broadsheet.accounts.forms import ChangePasswordForm, ProfileForm, SignInForm, SignUpForm
from broadsheet.accounts.models import User
from broadsheet.accounts.readers import signed_in
from broadsheet.comments.gate import commenting_plans
from broadsheet.core.errors import error_response
from broadsheet.core.exceptions import ServiceError
from broadsheet.privacy import erasure
from broadsheet.subscriptions.services import entitlements

SIGN_UP_EMAIL = "accounts:sign-up-email"


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


def _client_address(request: HttpRequest) -> str:
    # The same address django-axes counts sign-in failures against.
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) or "unknown"


def _account(request: HttpRequest) -> User:
    user = signed_in(request.user)
    assert user is not None  # the view is behind login_required
    return user


def safe_next(request: HttpRequest, candidate: str | None) -> str | None:
    """`candidate` if it is a path on this site, else None."""
    if not candidate or not candidate.startswith("/") or candidate.startswith("//"):
        return None
    if url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return None


# --- signing up, in and out ------------------------------------------------------------------


class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    form_class = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        # Signing in during the grace period keeps the account.
        if erasure.cancel_deletion(form.get_user()):
            messages.info(
                self.request,
                _("Welcome back. Your account will not be deleted, as you signed in again."),
            )
        return response


def sign_up(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:profile")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.check_sign_up_allowed(_client_address(request))
        except ServiceError as error:
            form.add_error(None, error.message)
            return render(request, "accounts/sign_up.html", {"form": form}, status=error.status)
        services.sign_up(
            form.cleaned_data["email"], form.cleaned_data["password"], base_url=_base_url(request)
        )
        # The same next page whether or not the address already had an account.
        request.session[SIGN_UP_EMAIL] = form.cleaned_data["email"]
        return redirect("accounts:sign_up_sent")
    return render(request, "accounts/sign_up.html", {"form": form})


def sign_up_sent(request: HttpRequest) -> HttpResponse:
    email = request.session.get(SIGN_UP_EMAIL)
    if not email:
        return redirect("accounts:sign_up")
    return render(request, "accounts/sign_up_sent.html", {"email": email})


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: Any = None,
) -> HttpResponse:
    """Shown by django-axes after too many failed sign-ins; says nothing about the account."""
    minutes = max(1, round(float(settings.AXES_COOLOFF_TIME) * 60))
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)


@require_POST
@login_required
def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    services.sign_out_everywhere(_account(request))
    logout(request)
    messages.success(request, _("You have been signed out on every device, this one included."))
    return redirect("accounts:sign_in")


# --- e-mail verification ---------------------------------------------------------------------


def verify(request: HttpRequest, token: str) -> HttpResponse:
    try:
        user, first_use = services.confirm_email(token)
    except ServiceError as error:
        return render(
            request,
            "accounts/verify_failed.html",
            {"message": error.message, "code": error.code},
            status=400,
        )
    current = signed_in(request.user)
    if first_use and user.is_active and current is None:
        # The link proves the address: no second step to sign in (not over another account).
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        current = user
    same_reader = current is not None and current.pk == user.pk
    return render(
        request,
        "accounts/verified.html",
        {
            "same_reader": same_reader,
            "may_comment": entitlements(user).may_comment,
            "has_name": bool(user.display_name),
            "commenting_plans": commenting_plans(),
        },
    )


@require_POST
@login_required
def resend_verification(request: HttpRequest) -> HttpResponse:
    user = _account(request)
    try:
        services.resend_verification(user, base_url=_base_url(request))
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("We have sent a new confirmation link to %(email)s.") % {"email": user.email}
        )
    return redirect(safe_next(request, request.POST.get("next")) or reverse("accounts:security"))


# --- the account page: Profile ---------------------------------------------------------------

NAME_ERRORS = {"bio_too_long": "bio"}


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = _account(request)
    if request.method == "POST":
        form = ProfileForm(request.POST)
        if form.is_valid():
            try:
                services.update_profile(
                    user,
                    display_name=form.cleaned_data["display_name"],
                    bio=form.cleaned_data["bio"],
                )
            except ServiceError as error:
                form.add_error(NAME_ERRORS.get(error.code, "display_name"), error.message)
            else:
                messages.success(request, _("Your profile is saved."))
                return redirect(
                    safe_next(request, form.cleaned_data["next"]) or reverse("accounts:profile")
                )
    else:
        form = ProfileForm(
            initial={
                "display_name": user.display_name or "",
                "bio": user.bio,
                "next": safe_next(request, request.GET.get("next")) or "",
            }
        )
    return render(
        request,
        "accounts/account.html",
        {
            "account_section": "profile",
            "form": form,
            "next_change": services.next_display_name_change(user),
            "change_days": conf.display_name_change_interval().days,
            "min_length": display_names.MIN_LENGTH,
            "max_length": display_names.MAX_LENGTH,
            "returning_to": safe_next(request, form["next"].value()),
        },
        status=400 if form.errors else 200,
    )


@login_required
def check_name(request: HttpRequest) -> HttpResponse:
    """As the reader types: whether the name would be accepted, as a fragment of the form."""
    user = _account(request)
    name = request.GET.get("display_name", "")
    context: dict[str, Any] = {"name": name, "problem": None, "current": False}
    if name and name == user.display_name:
        context["current"] = True
    elif name:
        try:
            context["name"] = services.check_name_for(user, name)
        except ServiceError as error:
            context["problem"] = error.message
    return render(request, "accounts/account.html#name-check", context)


# --- the account page: Sign-in and security --------------------------------------------------


def _security_page(
    request: HttpRequest, password_form: ChangePasswordForm, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "accounts/security.html",
        {"account_section": "security", "password_form": password_form},
        status=status,
    )


@login_required
def security(request: HttpRequest) -> HttpResponse:
    return _security_page(request, ChangePasswordForm(_account(request)))


@require_POST
@login_required
def change_password(request: HttpRequest) -> HttpResponse:
    user = _account(request)
    form = ChangePasswordForm(user, request.POST)
    if not form.is_valid():
        return _security_page(request, form, status=400)
    services.change_password(user, form.cleaned_data["new_password1"], base_url=_base_url(request))
    update_session_auth_hash(request, user)  # this device stays signed in; others do not
    messages.success(request, _("Your password is changed. Other devices have been signed out."))
    return redirect("accounts:security")


# --- forgotten passwords ---------------------------------------------------------------------


class ResetView(auth_views.PasswordResetView):
    template_name = "accounts/reset.html"
    email_template_name = "accounts/email/password_reset_body.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:reset_sent")

    def form_valid(self, form: Any) -> HttpResponse:
        # Django's form answers alike whether or not the address has an account; past the
        # hourly limit for an address, no more links go out, and the answer is still the same.
        if not services.may_email(form.cleaned_data["email"]):
            return redirect(self.get_success_url())
        self.extra_email_context = {"site_name": settings.SITE_NAME}
        return super().form_valid(form)


class ResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/reset_confirm.html"
    success_url = reverse_lazy("accounts:reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        services.password_reset_completed(form.user)
        return response


# --- language --------------------------------------------------------------------------------


@csrf_exempt
@require_POST
def choose_language(request: HttpRequest) -> HttpResponse:
    """The language picker: Django's set_language keeps the choice in a cookie for this
    browser, and a signed-in reader's account keeps it for their other browsers and e-mail.

    A visitor's picker sits in a page cached for every visitor, which carries no CSRF
    token: their choice only sets this browser's language cookie, harmless to forge. A
    signed-in reader's choice changes their account, so it is checked as every form is.
    """
    user = signed_in(request.user)
    if user is not None:
        refused = CsrfViewMiddleware(lambda _: HttpResponse()).process_view(
            request, _checked, (), {}
        )
        if refused is not None:
            return refused
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        return error_response(request, 400, _("Choose one of the languages offered."))
    if user is not None:
        services.set_language(user, language)
    return set_language(request)


def _checked(request: HttpRequest) -> HttpResponse:  # pragma: no cover - never called
    """A view CSRF applies to: what the signed-in reader's language choice is checked as."""
    raise NotImplementedError
