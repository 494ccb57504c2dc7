"""The desk's dashboard: how much arrives, how much is held, how fast the desk decides.

Computed from the comment records and the audit log, for the last week or month: comments
per day, the share held for review, the median time from posting to a decision on a held
comment, decisions per moderator, and the commonest reasons for holding and rejecting.
Decisions that were undone do not count.
"""

import re
import statistics
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from broadsheet.accounts.models import User
from broadsheet.comments.models import Comment
from broadsheet.core.models import AuditEntry

PERIODS = {"week": 7, "month": 30}
APPROVED, REJECTED = "moderation:comment:approved", "moderation:comment:rejected"
UNDONE = "moderation:comment:undone"
_SCORE = re.compile(r"\s+\d+(?:\.\d+)?$")


@dataclass(frozen=True)
class ModeratorCount:
    name: str
    approved: int
    rejected: int

    @property
    def total(self) -> int:
        return self.approved + self.rejected


@dataclass(frozen=True)
class Dashboard:
    days: int
    since: datetime
    per_day: list[tuple[date, int]]
    comments: int
    held: int
    decisions: int
    median_wait: timedelta | None
    moderators: list[ModeratorCount]
    hold_reasons: list[tuple[str, int]]
    reject_reasons: list[tuple[str, int]]

    @property
    def held_share(self) -> float | None:
        return self.held / self.comments if self.comments else None

    @property
    def busiest_day(self) -> int:
        return max((n for _, n in self.per_day), default=0)


def _hold_kind(reason: str) -> str:
    """ "spam: link, short link" and "toxicity 0.93" count as "spam" and "toxicity"."""
    return _SCORE.sub("", reason.split(":", 1)[0]).strip() or reason


def dashboard(days: int = 7, now: datetime | None = None) -> Dashboard:
    now = now or timezone.now()
    zone = timezone.get_current_timezone()
    first_day = timezone.localtime(now, zone).date() - timedelta(days=days - 1)
    since = timezone.make_aware(datetime.combine(first_day, datetime.min.time()), zone)
    comments = Comment.objects.filter(created_at__gte=since, created_at__lte=now)

    by_day = dict(
        comments.annotate(day=TruncDate("created_at", tzinfo=zone))
        .values("day")
        .annotate(n=Count("pk"))
        .values_list("day", "n")
    )
    per_day = [(first_day + timedelta(days=i), 0) for i in range(days)]
    per_day = [(day, by_day.get(day, 0)) for day, _ in per_day]

    # A comment was held if the checks gave a reason; few per period, read as lists.
    held_reasons: Counter[str] = Counter()
    held = 0
    for reasons in comments.values_list("hold_reasons", flat=True).iterator():
        if reasons:
            held += 1
            held_reasons.update({_hold_kind(str(r)) for r in reasons})

    entries = AuditEntry.objects.filter(created_at__gte=since, created_at__lte=now)
    undone = {
        int(e) for e in entries.filter(action=UNDONE).values_list("details__undoes", flat=True) if e
    }
    decisions = [
        e
        for e in entries.filter(action__in=[APPROVED, REJECTED]).only(
            "pk", "actor_id", "action", "reason", "target_id", "details", "created_at"
        )
        if e.pk not in undone
    ]
    posted = dict(
        Comment.objects.filter(pk__in={int(e.target_id) for e in decisions}).values_list(
            "pk", "created_at"
        )
    )
    waits = [
        (e.created_at - posted[int(e.target_id)]).total_seconds()
        for e in decisions
        if (e.details or {}).get("previous") == Comment.Status.PENDING
        and int(e.target_id) in posted
    ]
    tally: Counter[tuple[int | None, str]] = Counter((e.actor_id, e.action) for e in decisions)
    people = User.objects.in_bulk({actor for actor, _ in tally if actor is not None})
    moderators = sorted(
        (
            ModeratorCount(
                people[actor].public_name if actor in people else "—",
                tally[(actor, APPROVED)],
                tally[(actor, REJECTED)],
            )
            for actor in {actor for actor, _ in tally}
        ),
        key=lambda m: (-m.total, m.name),
    )
    rejects = Counter(e.reason.strip() for e in decisions if e.action == REJECTED and e.reason)
    return Dashboard(
        days=days,
        since=since,
        per_day=per_day,
        comments=sum(n for _, n in per_day),
        held=held,
        decisions=len(decisions),
        median_wait=timedelta(seconds=statistics.median(waits)) if waits else None,
        moderators=moderators,
        hold_reasons=held_reasons.most_common(5),
        reject_reasons=rejects.most_common(5),
    )
