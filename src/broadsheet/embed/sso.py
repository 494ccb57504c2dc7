"""Single sign-on tokens: a newsroom's server signs its reader in with a short-lived JWT.

HS256 with one of the site's secrets. Claims: `sub` (the newsroom's stable user id),
`email`, `name` (optional), `plan` (a Broadsheet plan code, or "none"), `aud` (the
site's key), `iat`, `exp` and `jti` (unique per token; a second use is a replay).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from broadsheet.core.exceptions import ServiceError
from broadsheet.embed import conf

REQUIRED = ("sub", "email", "plan", "aud", "iat", "exp", "jti")


class TokenRefusedError(ServiceError):
    status = 401


@dataclass(frozen=True)
class Claims:
    user_id: str
    email: str
    name: str
    plan: str
    jti: str
    expires_at: datetime


def _signed_payload(token: str, keys: Iterable[str]) -> dict[str, Any] | None:
    """The payload if one of `keys` signed `token`; None if none did."""
    for key in keys:
        try:
            payload: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=["HS256"],
                options={
                    "verify_exp": False,
                    "verify_iat": False,
                    "verify_nbf": False,
                    "verify_aud": False,
                    "verify_iss": False,
                },
            )
        except jwt.InvalidSignatureError:
            continue
        except jwt.InvalidAlgorithmError as error:
            raise TokenRefusedError(
                _("The sign-in token must be signed with HS256."), code="token_algorithm"
            ) from error
        except jwt.PyJWTError as error:
            raise TokenRefusedError(
                _("The sign-in token is not a well-formed JWT."), code="token_malformed"
            ) from error
        return payload
    return None


def _moment(payload: dict[str, Any], claim: str) -> datetime:
    value = payload[claim]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TokenRefusedError(
            _("The token's %(claim)s claim must be a number of seconds since 1970.")
            % {"claim": claim},
            code="token_claims",
        )
    return datetime.fromtimestamp(value, tz=UTC)


def _text(payload: dict[str, Any], claim: str, *, longest: int) -> str:
    value = payload.get(claim, "")
    if isinstance(value, int) and not isinstance(value, bool) and claim == "sub":
        value = str(value)
    if not isinstance(value, str) or len(value) > longest or "\x00" in value:
        raise TokenRefusedError(
            _("The token's %(claim)s claim must be text of at most %(longest)s characters.")
            % {"claim": claim, "longest": longest},
            code="token_claims",
        )
    return value.strip()


def verify(token: str, *, site_key: str, keys: list[str], now: datetime) -> Claims:
    """The claims of `token` for the site `site_key`, or TokenRefusedError saying what is wrong."""
    token = token.strip()
    if not token:
        raise TokenRefusedError(_("No sign-in token was given."), code="token_missing")
    payload = _signed_payload(token, keys)
    if payload is None:
        try:
            unverified = jwt.decode(token, options={"verify_signature": False})
        except jwt.PyJWTError as error:
            raise TokenRefusedError(
                _("The sign-in token is not a well-formed JWT."), code="token_malformed"
            ) from error
        audience = unverified.get("aud")
        if isinstance(audience, str) and audience != site_key:
            raise TokenRefusedError(
                _("The sign-in token is for the site %(audience)s, not %(site_key)s.")
                % {"audience": repr(audience), "site_key": repr(site_key)},
                code="token_wrong_site",
            )
        raise TokenRefusedError(
            _("The sign-in token's signature does not match this site's secret."),
            code="token_signature",
        )
    missing = [claim for claim in REQUIRED if payload.get(claim) in (None, "")]
    if missing:
        raise TokenRefusedError(
            ngettext(
                "The sign-in token lacks the claim %(claims)s.",
                "The sign-in token lacks the claims %(claims)s.",
                len(missing),
            )
            % {"claims": ", ".join(missing)},
            code="token_claims",
        )
    if payload["aud"] != site_key:
        raise TokenRefusedError(
            _("The sign-in token is for the site %(payload_aud)s, not %(site_key)s.")
            % {"payload_aud": repr(payload["aud"]), "site_key": repr(site_key)},
            code="token_wrong_site",
        )
    skew = conf.clock_skew()
    issued, expires = _moment(payload, "iat"), _moment(payload, "exp")
    if now > expires + skew:
        raise TokenRefusedError(_("The sign-in token has expired."), code="token_expired")
    if issued > now + skew:
        raise TokenRefusedError(
            _(
                "The sign-in token was issued in the future: check the clock of the server "
                "that signs it."
            ),
            code="token_future",
        )
    if "nbf" in payload and _moment(payload, "nbf") > now + skew:
        raise TokenRefusedError(_("The sign-in token is not valid yet."), code="token_future")
    longest = conf.token_max_lifetime()
    if expires - issued > longest:
        raise TokenRefusedError(
            _("The sign-in token lives too long: at most %(minutes)s minutes from iat to exp.")
            % {"minutes": longest // timedelta(minutes=1)},
            code="token_lifetime",
        )
    email = _text(payload, "email", longest=254).lower()
    try:
        validate_email(email)
    except ValidationError as error:
        raise TokenRefusedError(
            _("The token's email claim is not an e-mail address."), code="token_claims"
        ) from error
    return Claims(
        user_id=_text(payload, "sub", longest=200),
        email=email,
        name=_text(payload, "name", longest=200),
        plan=_text(payload, "plan", longest=80),
        jti=_text(payload, "jti", longest=200),
        expires_at=expires,
    )
