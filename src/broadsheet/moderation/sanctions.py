"""Which sanction, if any, stops a reader from commenting right now."""

from django.db.models import Q
from django.utils import timezone

from broadsheet.accounts.readers import Reader, signed_in
from broadsheet.moderation.models import Sanction


def commenting_sanction(reader: Reader) -> Sanction | None:
    """The ban, else the longest-running suspension, in force for `reader`; None if free."""
    user = signed_in(reader)
    if user is None:
        return None
    now = timezone.now()
    in_force = Sanction.objects.filter(
        Q(ends_at__isnull=True) | Q(ends_at__gt=now),
        reader=user,
        kind__in=[Sanction.Kind.BAN, Sanction.Kind.SUSPENSION],
        starts_at__lte=now,
        lifted_at__isnull=True,
    )
    ban = in_force.filter(kind=Sanction.Kind.BAN).first()
    if ban:
        return ban
    return in_force.order_by("-ends_at").first()


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
