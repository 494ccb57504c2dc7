"""Change my e-mail address: confirmed at the new address, told to the old one.

The reader asks with their password; the new address gets a signed link that works for
EMAIL_CHANGE_HOURS; the old address is told at once and again when the change is made,
each time with a "this wasn't me" link that cancels the change or takes it back and signs
the account out everywhere.
"""

from datetime import timedelta

from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from broadsheet.accounts.emails import normalize_email
from broadsheet.accounts.models import User
from broadsheet.accounts.services import may_email
from broadsheet.core import audit
from broadsheet.core.exceptions import ServiceError
from broadsheet.privacy import conf, mail
from broadsheet.privacy.models import EmailChange

CONFIRM_SALT = "broadsheet.privacy.email-change"
UNDO_SALT = "broadsheet.privacy.email-change-undo"


def pending_change(user: User) -> EmailChange | None:
    """The change waiting for the new address to confirm it, if any."""
    return (
        EmailChange.objects.filter(
            reader=user,
            confirmed_at__isnull=True,
            cancelled_at__isnull=True,
            old_email=user.email,
            requested_at__gt=timezone.now() - conf.email_change_age(),
        )
        .order_by("-requested_at", "-pk")
        .first()
    )


def _taken(address: str, user: User) -> bool:
    return User.objects.filter(email=address).exclude(pk=user.pk).exists()


def _links(change: EmailChange, base_url: str) -> dict[str, str]:
    data = {"c": change.pk, "r": change.reader_id}
    return {
        "confirm_link": base_url
        + reverse("privacy:confirm_email", args=[signing.dumps(data, salt=CONFIRM_SALT)]),
        "not_me_link": base_url
        + reverse("privacy:not_me", args=[signing.dumps(data, salt=UNDO_SALT)]),
    }


def request_change(user: User, new_email: str, *, base_url: str) -> EmailChange:
    """Send the confirmation link to `new_email` and tell the current address.

    An address that already has an account is told so instead of getting a link, and the
    reader sees the same answer either way: the form does not reveal who has an account.
    """
    address = normalize_email(new_email)
    if address == user.email:
        raise ServiceError(_("That is already your e-mail address."), code="same", status=400)
    if not may_email(address):
        raise ServiceError(
            _("We have sent several messages to that address in the last hour. Try again later."),
            code="too_many",
            status=429,
        )
    now = timezone.now()
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        # Only the newest request counts: an older link stops working.
        EmailChange.objects.filter(
            reader=user, confirmed_at__isnull=True, cancelled_at__isnull=True
        ).update(cancelled_at=now)
        change = EmailChange.objects.create(
            reader=user, old_email=user.email, new_email=address, requested_at=now
        )
        audit.record(user, "accounts:email:change_requested", user)
        links = _links(change, base_url)
        hours = int(conf.email_change_age().total_seconds() // 3600)
        if _taken(address, user):
            mail.send(address, "email_taken", {"reset_link": base_url + reverse("accounts:reset")})
        else:
            mail.send(address, "email_confirm", {"link": links["confirm_link"], "hours": hours})
        mail.send(
            user.email,
            "email_change_asked",
            {"new_email": address, "not_me_link": links["not_me_link"]},
        )
    return change


def _load(token: str, salt: str, max_age: timedelta) -> dict[str, int]:
    try:
        data = signing.loads(token, salt=salt, max_age=max_age)
    except signing.SignatureExpired as error:
        raise ServiceError(
            _("This link has expired. Sign in and ask again on the Sign-in and security page."),
            code="expired",
            status=410,
        ) from error
    except signing.BadSignature as error:
        raise ServiceError(
            _("This link is not valid. Check that you copied all of it."),
            code="invalid",
            status=404,
        ) from error
    if not isinstance(data, dict) or not isinstance(data.get("c"), int):
        raise ServiceError(_("This link is not valid."), code="invalid", status=404)
    return {"c": int(data["c"]), "r": int(data.get("r") or 0)}


def confirm_change(token: str, *, base_url: str) -> User:
    """Make the new address the one the reader signs in with; ServiceError if it cannot be."""
    data = _load(token, CONFIRM_SALT, conf.email_change_age())
    now = timezone.now()
    try:
        with transaction.atomic():
            user = User.objects.select_for_update().filter(pk=data["r"]).first()
            change = EmailChange.objects.filter(pk=data["c"], reader=user).first()
            if user is None or change is None or change.cancelled_at:
                raise ServiceError(
                    _("This change of address was cancelled or replaced by a newer one."),
                    code="cancelled",
                    status=410,
                )
            if change.confirmed_at:
                if user.email == change.new_email:
                    return user  # the link opened twice
                raise ServiceError(_("This link has already been used."), code="used", status=410)
            if user.email != change.old_email:
                raise ServiceError(
                    _("Your address changed since this link was sent. Ask again."),
                    code="stale",
                    status=410,
                )
            if _taken(change.new_email, user):
                raise ServiceError(
                    _("That address now belongs to another account, so it cannot be yours."),
                    code="taken",
                    status=409,
                )
            User.objects.filter(pk=user.pk).update(email=change.new_email, email_verified_at=now)
            change.confirmed_at = now
            change.save(update_fields=["confirmed_at"])
            audit.record(user, "accounts:email:changed", user)
            mail.send(
                change.old_email,
                "email_changed",
                {
                    "new_email": change.new_email,
                    "not_me_link": _links(change, base_url)["not_me_link"],
                },
            )
    except IntegrityError as error:  # another account took the address at the same moment
        raise ServiceError(
            _("That address now belongs to another account, so it cannot be yours."),
            code="taken",
            status=409,
        ) from error
    user.refresh_from_db()
    return user


def check_not_me(token: str) -> EmailChange:
    """The change a "this wasn't me" link is about, or ServiceError."""
    data = _load(token, UNDO_SALT, conf.not_me_age())
    change = (
        EmailChange.objects.select_related("reader")
        .filter(pk=data["c"], reader_id=data["r"])
        .first()
    )
    if change is None:
        raise ServiceError(_("This link is not valid any more."), code="invalid", status=404)
    return change


def not_me(token: str) -> User:
    """Cancel the change, or give the account its old address back, and sign it out everywhere."""
    change = check_not_me(token)
    now = timezone.now()
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=change.reader_id)
        if change.confirmed_at and user.email == change.new_email:
            if _taken(change.old_email, user):
                raise ServiceError(
                    _("Your old address now belongs to another account. Contact us."),
                    code="taken",
                    status=409,
                )
            User.objects.filter(pk=user.pk).update(email=change.old_email, email_verified_at=now)
        EmailChange.objects.filter(
            reader=user, confirmed_at__isnull=True, cancelled_at__isnull=True
        ).update(cancelled_at=now)
        if not change.cancelled_at:
            EmailChange.objects.filter(pk=change.pk).update(cancelled_at=now)
        # Whoever asked knew the password: every session ends, and the owner is told to
        # choose a new one.
        User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
        audit.record(None, "accounts:email:change_undone", user)
    user.refresh_from_db()
    return user
