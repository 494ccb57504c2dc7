"""The accounts API: the signed-in reader's own profile, and their display name."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.security import django_auth

from broadsheet.accounts import services
from broadsheet.accounts.models import User
from broadsheet.accounts.readers import signed_in
from broadsheet.api.errors import ErrorOut

router = Router(tags=["accounts"])


class Profile(Schema):
    """The signed-in reader's own account. The e-mail address is only ever shown to its owner."""

    id: int
    display_name: str | None
    bio: str
    email: str
    email_verified: bool
    display_name_changed_at: datetime | None
    display_name_next_change_at: datetime | None


class DisplayNameIn(Schema):
    display_name: str


def _me(request: HttpRequest) -> User:
    user = signed_in(request.user)
    assert user is not None  # django_auth let the request through
    return user


def _profile(user: User) -> Profile:
    return Profile(
        id=user.pk,
        display_name=user.display_name,
        bio=user.bio,
        email=user.email,
        email_verified=user.email_verified,
        display_name_changed_at=user.display_name_changed_at,
        display_name_next_change_at=services.next_display_name_change(user),
    )


@router.get("/me", auth=django_auth, response={200: Profile, 401: ErrorOut}, summary="My profile")
def me(request: HttpRequest) -> Profile:
    return _profile(_me(request))


@router.put(
    "/me/display-name",
    auth=django_auth,
    response={200: Profile, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 409: ErrorOut},
    summary="Choose or change my display name",
    description=(
        "The same rules as the Profile page: 400 for a name that breaks a rule (the code "
        "names it), 409 when it is taken, held for a former owner, or changed too recently. "
        "Needs the session cookie and the CSRF token in X-CSRFToken."
    ),
)
def set_display_name(request: HttpRequest, payload: DisplayNameIn) -> Profile:
    user = services.set_display_name(_me(request), payload.display_name)
    return _profile(user)
