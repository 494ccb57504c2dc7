"""Quiet hours: commenting closes site-wide at set hours, in the site's time zone.

The gate (comments.gate.decide) asks `closed_until`, so the story page, the API and the embed
all refuse, and say when commenting reopens. The hours are read through the shared cache, so
every process sees a change at once.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from broadsheet.core.audit import record
from broadsheet.core.exceptions import ServiceError

CACHE_KEY = "comments:quiet-hours"
PERMISSION = "comments.change_quiethours"


@dataclass(frozen=True)
class Hours:
    enabled: bool = False
    starts: time = time(0, 0)
    ends: time = time(6, 0)

    def closed_until(self, now: datetime | None = None) -> datetime | None:
        """When commenting reopens, if `now` falls in the quiet hours; else None."""
        if not self.enabled or self.starts == self.ends:
            return None
        local = timezone.localtime(now)
        today = local.date()
        clock = local.time().replace(tzinfo=None)
        if self.starts < self.ends:  # e.g. 13:00-14:00, within one day
            quiet, reopen_day = self.starts <= clock < self.ends, today
        elif clock >= self.starts:  # e.g. 23:00-06:00, before midnight
            quiet, reopen_day = True, today + timedelta(days=1)
        else:  # after midnight
            quiet, reopen_day = clock < self.ends, today
        if not quiet:
            return None
        naive = datetime.combine(reopen_day, self.ends)
        return timezone.make_aware(naive, timezone.get_current_timezone())


def current() -> Hours:
    """The site's quiet hours (switched off until an editor sets them)."""
    cached = cache.get(CACHE_KEY)
    if isinstance(cached, dict):
        return Hours(**cached)
    from broadsheet.comments.models import QuietHours

    row = QuietHours.objects.order_by("pk").first()
    hours = Hours() if row is None else Hours(row.enabled, row.starts, row.ends)
    cache.set(CACHE_KEY, hours.__dict__, timeout=None)
    return hours


def closed_until(now: datetime | None = None) -> datetime | None:
    return current().closed_until(now)


def message(reopens: datetime, now: datetime | None = None) -> str:
    """What a reader is told during the quiet hours: when, and when commenting reopens."""
    hours = current()
    local_now = timezone.localtime(now)
    local = timezone.localtime(reopens)
    at = local.strftime("%H:%M")
    if local.date() == local_now.date():
        when = _("today at %(time)s") % {"time": at}
    elif local.date() == local_now.date() + timedelta(days=1):
        when = _("tomorrow at %(time)s") % {"time": at}
    else:
        when = _("at %(time)s on %(day)s") % {"time": at, "day": local.strftime("%-d %B")}
    return _(
        "Commenting is paused for quiet hours, from %(starts)s to %(ends)s (%(zone)s time). "
        "It reopens %(when)s."
    ) % {
        "starts": hours.starts.strftime("%H:%M"),
        "ends": hours.ends.strftime("%H:%M"),
        "zone": timezone.get_current_timezone_name(),
        "when": when,
    }


def changed() -> None:
    cache.delete(CACHE_KEY)


def set_quiet_hours(user: object, *, enabled: bool, starts: time, ends: time) -> Hours:
    """Editors and administrators set the quiet hours; the change is logged."""
    if not getattr(user, "is_authenticated", False):
        raise ServiceError(_("Sign in first."), code="sign_in_required", status=401)
    if not user.has_perm(PERMISSION):  # type: ignore[attr-defined]
        raise ServiceError(
            _("Only editors and administrators may set the quiet hours."),
            code="not_allowed",
            status=403,
        )
    if enabled and starts == ends:
        raise ServiceError(
            _("The quiet hours must start and end at different times."), code="invalid"
        )
    from broadsheet.comments.models import QuietHours

    with transaction.atomic():
        row = QuietHours.objects.select_for_update().order_by("pk").first()
        if row is None:
            row = QuietHours(starts=starts, ends=ends)
        old = {"enabled": row.enabled, "starts": f"{row.starts:%H:%M}", "ends": f"{row.ends:%H:%M}"}
        row.enabled, row.starts, row.ends = enabled, starts, ends
        row.updated_by = user  # type: ignore[assignment]
        row.save()
        new = {"enabled": enabled, "starts": f"{starts:%H:%M}", "ends": f"{ends:%H:%M}"}
        record(user, "comments:quiet_hours:changed", row, before=old, after=new)
        changed()
        transaction.on_commit(changed)
    return Hours(enabled, starts, ends)
