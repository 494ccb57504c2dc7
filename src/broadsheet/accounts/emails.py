"""The one form of an e-mail address: how it is stored, looked up and counted.

An address is compared as a whole in lower case, after Unicode NFKC (as Django's sign-in
form already applies) and without surrounding spaces. Lower-casing the part before the @
is not what the standard says, but no real mail provider tells `Free@` from `free@`, and
readers type their address in any case: one account per address, whatever its spelling.
Sign-up, sign-in, the sign-in lockout, password reset and uniqueness all use this form.
"""

import unicodedata
from typing import Any

from django.http import HttpRequest


def normalize_email(address: str) -> str:
    return unicodedata.normalize("NFKC", address).strip().lower()


def sign_in_username(request: HttpRequest | None, credentials: dict[str, Any] | None) -> str:
    """The name django-axes counts failed sign-ins against: the normalised address.

    Without it, `Free@example.com` and `free@example.com` would each get their own
    allowance of guesses against the same account.
    """
    if credentials and credentials.get("username") is not None:
        typed = credentials["username"]
    else:
        typed = request.POST.get("username", "") if request is not None else ""
    return normalize_email(str(typed))
