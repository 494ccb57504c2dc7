"""Which sanction, if any, stops a reader from commenting right now."""

from collections.abc import Sequence

from django.db.models import Q
from django.utils import timezone

from broadsheet.accounts.backends import surely_unsanctioned
from broadsheet.accounts.readers import Reader, signed_in
from broadsheet.moderation.models import Sanction


def in_force(reader: Reader, kinds: Sequence[str]) -> list[Sanction]:
    """The sanctions of these kinds in force for `reader` now, in one query."""
    user = signed_in(reader)
    if user is None:
        return []
    now = timezone.now()
    return list(
        Sanction.objects.filter(
            Q(ends_at__isnull=True) | Q(ends_at__gt=now),
            reader=user,
            kind__in=kinds,
            starts_at__lte=now,
            lifted_at__isnull=True,
        )
    )


# Everything that stops or holds a comment: the gate and the moderation pipeline share one look-up.
COMMENTING_KINDS = (Sanction.Kind.BAN, Sanction.Kind.SUSPENSION, Sanction.Kind.PREMODERATION)


def stopping(sanctions: list[Sanction]) -> Sanction | None:
    """Of `sanctions`, the ban, else the longest-running suspension (no end is longest)."""
    bans = [s for s in sanctions if s.kind == Sanction.Kind.BAN]
    if bans:
        return bans[0]
    suspensions = [s for s in sanctions if s.kind == Sanction.Kind.SUSPENSION]
    if not suspensions:
        return None
    return max(suspensions, key=lambda s: (s.ends_at is None, s.ends_at or timezone.now()))


def commenting_sanction(reader: Reader) -> Sanction | None:
    """The ban, else the longest-running suspension, in force for `reader`; None if free."""
    user = signed_in(reader)
    if user is not None and surely_unsanctioned(user):
        return None  # known when the reader was read (accounts/backends.py)
    return stopping(in_force(reader, [Sanction.Kind.BAN, Sanction.Kind.SUSPENSION]))


def premoderation(reader: Reader) -> Sanction | None:
    """The always-pre-moderated measure in force for `reader`, if any."""
    user = signed_in(reader)
    if user is None:
        return None
    now = timezone.now()
    return Sanction.objects.filter(
        Q(ends_at__isnull=True) | Q(ends_at__gt=now),
        reader=user,
        kind=Sanction.Kind.PREMODERATION,
        starts_at__lte=now,
        lifted_at__isnull=True,
    ).first()
