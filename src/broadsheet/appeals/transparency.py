"""The public transparency report, counted per month from the audit log and the comments.

Removals, sanctions, appeals and notices are counted from the audit log, which holds every
such decision with its ground and whether it was automatic; published and held comments
from the comments themselves (a comment is written once; the log records decisions).
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from broadsheet.appeals.grounds import Ground
from broadsheet.comments.models import Comment
from broadsheet.core.models import AuditEntry

MONTHS_SHOWN = 12
COMMENT_ACTIONS = [
    f"moderation:comment:{name}" for name in ("rejected", "hidden", "refused", "restored")
]


@dataclass
class Month:
    month: date
    published: int = 0
    held: int = 0
    removed_human: int = 0
    removed_automatic: int = 0
    removed_by_ground: dict[str, int] = field(default_factory=dict)
    hidden_automatic: int = 0
    restored: int = 0
    sanctions: dict[str, int] = field(default_factory=dict)
    appeals: int = 0
    upheld: int = 0
    reversed: int = 0
    notices: int = 0
    notices_removed: int = 0
    notices_declined: int = 0

    @property
    def removed(self) -> int:
        return self.removed_human + self.removed_automatic

    @property
    def grounds(self) -> list[tuple[str, int]]:
        labels = dict(Ground.choices)
        return [(str(labels.get(g, g)), n) for g, n in sorted(self.removed_by_ground.items())]


def _month(moment: datetime) -> date:
    local = timezone.localtime(moment)
    return date(local.year, local.month, 1)


def report(since: date | None = None) -> list[Month]:
    """The last months, newest first: only months in which something happened."""
    today = timezone.localdate()
    if since is None:
        year, month = divmod(today.year * 12 + today.month - 1 - (MONTHS_SHOWN - 1), 12)
        since = date(year, month + 1, 1)
    start = datetime(since.year, since.month, 1, tzinfo=timezone.get_current_timezone())
    months: dict[date, Month] = defaultdict(lambda: Month(date.min))

    def at(moment: datetime) -> Month:
        key = _month(moment)
        found = months[key]
        found.month = key
        return found

    counted = Comment.objects.filter(created_at__gte=start).annotate(m=TruncMonth("created_at"))
    for row in counted.filter(status=Comment.Status.PUBLISHED).values("m").annotate(n=Count("pk")):
        at(row["m"]).published += row["n"]
    held = counted.exclude(hold_reasons=[]).exclude(hold_reasons__isnull=True)
    for row in held.values("m").annotate(n=Count("pk")):
        at(row["m"]).held += row["n"]
    grounds: dict[date, Counter[str]] = defaultdict(Counter)
    entries = (
        AuditEntry.objects.filter(
            created_at__gte=start,
        )
        .filter(
            Q(action__in=COMMENT_ACTIONS)
            | Q(action__startswith="moderation:sanction:")
            | Q(action__startswith="appeals:appeal:")
            | Q(action__startswith="appeals:notice:")
        )
        .values_list("action", "details", "created_at")
    )
    for action, details, moment in entries:
        entry = at(moment)
        details = details or {}
        if action == "moderation:comment:rejected":
            entry.removed_human += 1
            grounds[entry.month][details.get("ground", Ground.OTHER)] += 1
        elif action == "moderation:comment:refused":
            entry.removed_automatic += 1
            grounds[entry.month][details.get("ground", Ground.OTHER)] += 1
        elif action == "moderation:comment:hidden":
            entry.hidden_automatic += 1
        elif action == "moderation:comment:restored":
            entry.restored += 1
        elif action.startswith("moderation:sanction:"):
            kind = action.rsplit(":", 1)[1]
            if kind != "lifted":
                entry.sanctions[kind] = entry.sanctions.get(kind, 0) + 1
        elif action == "appeals:appeal:submitted":
            entry.appeals += 1
        elif action == "appeals:appeal:upheld":
            entry.upheld += 1
        elif action == "appeals:appeal:reversed":
            entry.reversed += 1
        elif action == "appeals:notice:received":
            entry.notices += 1
        elif action == "appeals:notice:removed":
            entry.notices_removed += 1
        elif action == "appeals:notice:declined":
            entry.notices_declined += 1
    for key, by_ground in grounds.items():
        months[key].removed_by_ground = dict(by_ground)
    return sorted(months.values(), key=lambda m: m.month, reverse=True)
