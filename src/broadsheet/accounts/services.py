"""Every change to an account: checked, written in a transaction, audited, then announced."""

from datetime import datetime

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core import signing
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from broadsheet.accounts import conf, throttle
from broadsheet.accounts.display_names import (
    DisplayNameError,
    check_display_name,
    display_name_glyph_key,
    display_name_key,
)
from broadsheet.accounts.emails import normalize_email
from broadsheet.accounts.mail import send_account_email
from broadsheet.accounts.models import DisplayNameHistory, User
from broadsheet.core import audit
from broadsheet.core.events import publish_on_commit
from broadsheet.core.exceptions import ServiceError

TAKEN = gettext_noop("That name is taken, or looks too much like one that is. Choose another.")
BIO_MAX_LENGTH = 500
VERIFY_SALT = "broadsheet.accounts.verify-email"


def _day(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "DATE_FORMAT")


# --- display names ---------------------------------------------------------------------------


def next_display_name_change(user: User) -> datetime | None:
    """When `user` may change their display name again; None if they may now."""
    if not user.display_name or not user.display_name_changed_at:
        return None
    allowed_from = user.display_name_changed_at + conf.display_name_change_interval()
    return allowed_from if allowed_from > timezone.now() else None


def _held_until(user: User, key: str, glyph_key: str, now: datetime) -> datetime | None:
    """The end of the hold on a name another reader released recently, if any."""
    released = (
        DisplayNameHistory.objects.filter(
            Q(key=key) | Q(glyph_key=glyph_key), ended_at__gt=now - conf.display_name_hold()
        )
        .exclude(user=user)
        .order_by("-ended_at")
        .values_list("ended_at", flat=True)
        .first()
    )
    return released + conf.display_name_hold() if released else None


def _valid_name(name: str) -> str:
    try:
        return check_display_name(name)
    except DisplayNameError as error:
        raise ServiceError(error.message, code=error.code) from error


def _check_change(account: User, key: str, glyph_key: str, now: datetime) -> None:
    """The rules that need the database: how often, taken, held for a former owner."""
    if account.display_name and account.display_name_changed_at:
        allowed_from = account.display_name_changed_at + conf.display_name_change_interval()
        if now < allowed_from:
            raise ServiceError(
                _(
                    "You can change your display name once every %(display_name_change_interval)s "
                    "days: you can next change it on %(day)s."
                )
                % {
                    "display_name_change_interval": conf.display_name_change_interval().days,
                    "day": _day(allowed_from),
                },
                code="too_soon",
                status=409,
            )
    if (
        User.objects.filter(Q(display_name_key=key) | Q(display_name_glyph_key=glyph_key))
        .exclude(pk=account.pk)
        .exists()
    ):
        raise ServiceError(_(TAKEN), code="taken", status=409)
    if held_until := _held_until(account, key, glyph_key, now):
        raise ServiceError(
            _(
                "That name was used by another reader until recently and is kept for them until "
                "%(day)s. Choose another."
            )
            % {"day": _day(held_until)},
            code="held",
            status=409,
        )


def check_name_for(user: User, name: str) -> str:
    """Whether `user` could take `name` now, without taking it: the stored form, or ServiceError."""
    name = _valid_name(name)
    if user.display_name != name:
        _check_change(user, display_name_key(name), display_name_glyph_key(name), timezone.now())
    return name


def set_display_name(user: User, name: str, *, now: datetime | None = None) -> User:
    """Give `user` the display name `name`, or raise ServiceError saying why not.

    The unique index on `display_name_key` settles a race between two readers: the loser's
    insert fails and they are told the name is taken.
    """
    name = _valid_name(name)
    key = display_name_key(name)
    glyph_key = display_name_glyph_key(name)
    now = now or timezone.now()
    try:
        with transaction.atomic():
            account = User.objects.select_for_update().get(pk=user.pk)
            if account.display_name == name:
                return account
            old_name = account.display_name
            _check_change(account, key, glyph_key, now)
            DisplayNameHistory.objects.filter(user=account, ended_at__isnull=True).update(
                ended_at=now
            )
            account.display_name = name
            account.display_name_key = key
            account.display_name_glyph_key = glyph_key
            account.display_name_changed_at = now
            account.save(
                update_fields=[
                    "display_name",
                    "display_name_key",
                    "display_name_glyph_key",
                    "display_name_changed_at",
                ]
            )
            DisplayNameHistory.objects.create(
                user=account, name=name, key=key, glyph_key=glyph_key, started_at=now
            )
            audit.record(
                account,
                "accounts:display_name:changed",
                account,
                old=old_name,
                new=name,
            )
            # Imported here: comments build on accounts, not the other way round.
            from broadsheet.comments.services import author_renamed

            author_renamed(account)
            publish_on_commit("reader.renamed", "accounts", user_id=account.pk, display_name=name)
    except IntegrityError as error:
        raise ServiceError(_(TAKEN), code="taken", status=409) from error
    user.display_name = account.display_name
    user.display_name_key = account.display_name_key
    user.display_name_glyph_key = account.display_name_glyph_key
    user.display_name_changed_at = account.display_name_changed_at
    return account


def update_profile(user: User, *, display_name: str | None, bio: str) -> User:
    """Save the Profile section: a new display name (if given and changed) and the bio."""
    bio = bio.strip()
    if len(bio) > BIO_MAX_LENGTH:
        raise ServiceError(
            _("Keep your bio to %(BIO_MAX_LENGTH)s characters (it has %(len)s).")
            % {"BIO_MAX_LENGTH": BIO_MAX_LENGTH, "len": len(bio)},
            code="bio_too_long",
        )
    with transaction.atomic():
        name = display_name or ""
        if name != (user.display_name or ""):
            if not name:
                raise ServiceError(
                    _("A display name can be changed but not removed: enter one."),
                    code="required",
                )
            set_display_name(user, name)
        if bio != user.bio:
            User.objects.filter(pk=user.pk).update(bio=bio)
            user.bio = bio
    return user


# --- signing up ------------------------------------------------------------------------------


def check_sign_up_allowed(address: str) -> None:
    """Refuse a flood of new accounts from one network address."""
    if not throttle.allow(
        "sign-up", address, limit=conf.sign_ups_per_address_per_hour(), seconds=3600
    ):
        raise ServiceError(
            _(
                "Too many accounts have been opened from your network in the last hour. "
                "Please try again later."
            ),
            code="too_many",
            status=429,
        )


def sign_up(email: str, password: str, *, base_url: str) -> User | None:
    """Open an account and send the verification link; the new account, or None.

    If the address already has an account, nothing changes and its owner gets an e-mail
    saying so. The caller answers both cases alike, so the form cannot be used to find out
    who has an account.
    """
    email = normalize_email(email)
    if User.objects.filter(email=email).exists():
        make_password(password)  # the same work as a new account, so timing tells nothing
        _tell_already_registered(email, base_url)
        return None
    try:
        with transaction.atomic():
            user = User.objects.create_user(email, password)
            audit.record(user, "accounts:user:signed_up", user)
            send_verification(user, base_url=base_url)
    except IntegrityError:
        _tell_already_registered(email, base_url)
        return None
    return user


def may_email(address: str) -> bool:
    """Count one unasked-for account e-mail to `address`; False past the hourly limit.

    Anyone can type an address into the sign-up and reset forms; this keeps them from
    being used to flood someone's inbox.
    """
    return throttle.allow(
        "mail",
        normalize_email(address),
        limit=conf.emails_per_recipient_per_hour(),
        seconds=3600,
    )


def _tell_already_registered(email: str, base_url: str) -> None:
    if not may_email(email):
        return  # silently: the answer must not differ from a new account's
    send_account_email(
        email,
        "already_registered",
        {
            "sign_in_link": base_url + reverse("accounts:sign_in"),
            "reset_link": base_url + reverse("accounts:reset"),
        },
    )


# --- e-mail verification ---------------------------------------------------------------------


def verification_token(user: User) -> str:
    """A signed, timestamped token naming the account and the address it confirms."""
    return signing.dumps({"user": user.pk, "email": user.email}, salt=VERIFY_SALT, compress=True)


def send_verification(user: User, *, base_url: str) -> None:
    link = base_url + reverse("accounts:verify", args=[verification_token(user)])
    hours = int(conf.verification_max_age().total_seconds() // 3600)
    send_account_email(user.email, "verify", {"link": link, "hours": hours})


def resend_verification(user: User, *, base_url: str) -> None:
    """Send the link again, at most once a minute (configurable)."""
    if user.email_verified_at:
        raise ServiceError(_("Your e-mail address is already confirmed."), code="verified")
    interval = conf.verification_resend_interval()
    if not cache.add(f"accounts:verify-sent:{user.pk}", 1, int(interval.total_seconds())):
        raise ServiceError(
            _(
                "We sent you a link moments ago. Check your inbox and spam folder, "
                "or ask again in a minute."
            ),
            code="too_soon",
            status=429,
        )
    send_verification(user, base_url=base_url)


def verify_email(token: str) -> User:
    """Mark the address in `token` as confirmed; ServiceError if the link is bad or old."""
    return confirm_email(token)[0]


def confirm_email(token: str) -> tuple[User, bool]:
    """Confirm the address in `token`, and say whether this was the link's first use.

    The first use proves the reader holds the address, so the page signs them in; a
    later click of the same link (it stays valid for its days) only says it is confirmed,
    so a forwarded or leaked old e-mail is not a way into the account.
    """
    try:
        data = signing.loads(token, salt=VERIFY_SALT, max_age=conf.verification_max_age())
    except signing.SignatureExpired as error:
        raise ServiceError(
            _(
                "This confirmation link has expired. Sign in and ask for a new one "
                "on the Sign-in and security page."
            ),
            code="expired",
        ) from error
    except signing.BadSignature as error:
        raise ServiceError(
            _(
                "This confirmation link is not valid. Check that you copied all of it, "
                "or ask for a new one."
            ),
            code="invalid",
        ) from error
    user = User.objects.filter(pk=data.get("user"), email=data.get("email")).first()
    if user is None:
        raise ServiceError(
            _("This confirmation link is for an address that is no longer on an account."),
            code="invalid",
        )
    if user.email_verified_at is not None:
        return user, False
    # Conditional update: of two clicks at once, one confirms (and signs in), the other not.
    now = timezone.now()
    if not User.objects.filter(pk=user.pk, email_verified_at__isnull=True).update(
        email_verified_at=now
    ):
        return user, False
    user.email_verified_at = now
    audit.record(user, "accounts:email:verified", user, email=user.email)
    return user, True


# --- passwords and sessions ------------------------------------------------------------------


def change_password(user: User, password: str, *, base_url: str) -> None:
    """Set a new (already validated) password; every other session of the reader ends."""
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        audit.record(user, "accounts:password:changed", user)
        send_account_email(
            user.email,
            "password_changed",
            {"when": timezone.now(), "reset_link": base_url + reverse("accounts:reset")},
        )


def password_reset_completed(user: User) -> None:
    """After a reset by e-mail link: the address is proven, and sign-in lockouts are lifted."""
    from axes.utils import reset as reset_lockouts

    if user.email_verified_at is None:
        User.objects.filter(pk=user.pk).update(email_verified_at=timezone.now())
    audit.record(user, "accounts:password:reset", user)
    reset_lockouts(username=user.email)


def sign_out_everywhere(user: User) -> None:
    """End every session of `user`, on every device, including the one asking."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
        audit.record(user, "accounts:sessions:ended", user)


def set_language(user: User, language: str) -> None:
    """Remember the reader's language for their other browsers and for their e-mail."""
    if language not in dict(settings.LANGUAGES):
        raise ServiceError(_("We do not offer that language."), status=400)
    User.objects.filter(pk=user.pk).update(language=language)
    user.language = language
