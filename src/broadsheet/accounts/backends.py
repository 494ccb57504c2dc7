"""Signing in, and reading the signed-in reader once per request with what pages ask of them.

Every page asks three things of a signed-in reader besides the account itself: their
current subscription and its plan (the commenting gate, the paywall), whether a ban or a
suspension may be in force (the gate) and whether they work on the moderation desk (the
masthead's link). `ReaderBackend.get_user` reads them in the same query as the account
(one join and two EXISTS), so a page costs no further query for them, and none for
permissions. Readers loaded any other way simply have no facts, and the services ask the
database as before.
"""

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.db.models import Exists, F, FilteredRelation, OuterRef, Q, QuerySet
from django.utils import timezone

from broadsheet.accounts.models import User

DESK_GROUPS = ("Moderators", "Editors")
_SUB = "fact_sub_"
_PLAN = "fact_plan_"


def _fields(model: Any) -> list[str]:
    return [field.attname for field in model._meta.concrete_fields]


def readers_with_facts() -> QuerySet[User]:
    from broadsheet.moderation.models import Sanction
    from broadsheet.subscriptions.models import Plan, Subscription

    now = timezone.now()
    stopping = Sanction.objects.filter(
        Q(ends_at__isnull=True) | Q(ends_at__gt=now),
        reader=OuterRef("pk"),
        kind__in=[Sanction.Kind.BAN, Sanction.Kind.SUSPENSION],
        starts_at__lte=now,
        lifted_at__isnull=True,
    )
    desk = User.groups.through.objects.filter(user_id=OuterRef("pk"), group__name__in=DESK_GROUPS)
    columns = {f"{_SUB}{name}": F(f"current__{name}") for name in _fields(Subscription)}
    columns |= {f"{_PLAN}{name}": F(f"current__plan__{name}") for name in _fields(Plan)}
    return User.objects.annotate(
        # At most one row joins: a constraint allows one current subscription per reader.
        current=FilteredRelation(
            "subscriptions", condition=Q(subscriptions__status__in=Subscription.CURRENT_STATUSES)
        ),
        may_be_sanctioned=Exists(stopping),
        works_on_desk=Exists(desk),
        **columns,
    )


def _build(user: User) -> Any:
    """The current subscription (with its plan) read along with `user`, or None."""
    from broadsheet.subscriptions.models import Plan, Subscription

    values = user.__dict__
    if values.get(f"{_SUB}id") is None:
        return None
    plan = Plan(**{name: values.pop(f"{_PLAN}{name}") for name in _fields(Plan)})
    subscription = Subscription(
        **{name: values.pop(f"{_SUB}{name}") for name in _fields(Subscription)}
    )
    subscription._state.adding = plan._state.adding = False
    subscription.plan = plan
    return subscription


class ReaderBackend(ModelBackend):
    """Django's model backend; the signed-in reader comes with the facts above."""

    def get_user(self, user_id: Any) -> User | None:
        user = readers_with_facts().filter(pk=user_id).first()
        if user is None or not self.user_can_authenticate(user):
            return None
        user.preloaded_subscription = _build(user)  # type: ignore[attr-defined]
        for name in [key for key in user.__dict__ if key.startswith((_SUB, _PLAN))]:
            del user.__dict__[name]
        return user


_MISSING = object()


# getattr, not __dict__: request.user is a lazy object standing in for the User.
def preloaded_subscription(user: User) -> tuple[bool, Any]:
    """(True, the current subscription or None) when it was read with the user."""
    found = getattr(user, "preloaded_subscription", _MISSING)
    return (False, None) if found is _MISSING else (True, found)


def surely_unsanctioned(user: User) -> bool:
    """True when the user was read with no ban or suspension in force."""
    return getattr(user, "may_be_sanctioned", None) is False
