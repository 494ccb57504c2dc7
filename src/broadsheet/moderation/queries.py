"""What the desk reads: queues, counts, an item in context, a reader's history, the log."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from broadsheet.accounts.models import User
from broadsheet.accounts.queries import display_name_history
from broadsheet.comments.models import Comment
from broadsheet.core.models import AuditEntry
from broadsheet.moderation import conf
from broadsheet.moderation.categories import SEVERITY
from broadsheet.moderation.models import (
    BlockedDomain,
    NewsroomModel,
    ReaderNote,
    Report,
    Sanction,
    Term,
)
from broadsheet.stories.models import Story

Status = Comment.Status


@dataclass(frozen=True)
class Queue:
    slug: str
    title: str | Promise  # translated when shown
    empty: str | Promise


QUEUES = [
    Queue("pending", gettext_lazy("Pending"), gettext_lazy("Nothing is waiting for review.")),
    Queue("reported", gettext_lazy("Reported"), gettext_lazy("No open reports.")),
    Queue(
        "flagged",
        gettext_lazy("Flagged by the model"),
        gettext_lazy("The model has flagged nothing."),
    ),
    Queue("recent", gettext_lazy("Recent"), gettext_lazy("No comments in the last 24 hours.")),
    Queue("rejected", gettext_lazy("Rejected"), gettext_lazy("Nothing has been rejected.")),
]
QUEUE_SLUGS = {queue.slug for queue in QUEUES}
RECENT = timedelta(hours=24)


def _severity() -> Case:
    """A comment's category as a rank: threats 0, then hate, ...; no category last."""
    return Case(
        *(When(category=category.value, then=Value(rank)) for category, rank in SEVERITY.items()),
        default=Value(len(SEVERITY)),
        output_field=IntegerField(),
    )


def queue_comments(slug: str, story: Story | None = None) -> QuerySet[Comment]:
    """The comments in queue `slug`: pending ones most serious first (threats at the top),
    then oldest-waiting first."""
    comments = Comment.objects.all()
    if story is not None:
        comments = comments.filter(story=story)
    open_reports = Count("reports", filter=Q(reports__resolved_at__isnull=True))
    if slug == "pending":
        comments = (
            comments.filter(status=Status.PENDING)
            .annotate(severity=_severity())
            .order_by("severity", "created_at", "pk")
        )
    elif slug == "reported":
        comments = (
            comments.exclude(status__in=[Status.DELETED, Status.REJECTED])
            .annotate(open_report_count=open_reports)
            .filter(open_report_count__gt=0)
            .order_by("-open_report_count", "created_at")
        )
    elif slug == "flagged":
        comments = comments.filter(
            status__in=[Status.PENDING, Status.PUBLISHED],
            toxicity__gte=conf.toxicity_threshold(),
        ).order_by("-created_at", "-pk")
    elif slug == "recent":
        comments = (
            comments.exclude(status=Status.DELETED)
            .filter(created_at__gte=timezone.now() - RECENT)
            .order_by("-created_at", "-pk")
        )
    elif slug == "rejected":
        comments = comments.filter(status=Status.REJECTED).order_by("-status_changed_at", "-pk")
    else:
        raise ValueError(slug)
    if slug != "reported":
        comments = comments.annotate(open_report_count=open_reports)
    return comments.select_related("author", "story", "parent__author").prefetch_related(
        Prefetch(
            "reports",
            queryset=Report.objects.filter(resolved_at__isnull=True).order_by("created_at"),
            to_attr="open_reports",
        )
    )


def queue_counts(story: Story | None = None) -> dict[str, int]:
    """How many comments each queue holds (recent: the last 24 hours)."""
    comments = Comment.objects.all()
    if story is not None:
        comments = comments.filter(story=story)
    day_ago = timezone.now() - RECENT
    counts = comments.aggregate(
        pending=Count("pk", filter=Q(status=Status.PENDING)),
        flagged=Count(
            "pk",
            filter=Q(
                status__in=[Status.PENDING, Status.PUBLISHED],
                toxicity__gte=conf.toxicity_threshold(),
            ),
        ),
        recent=Count("pk", filter=Q(created_at__gte=day_ago) & ~Q(status=Status.DELETED)),
        rejected=Count("pk", filter=Q(status=Status.REJECTED)),
    )
    reported = comments.exclude(status__in=[Status.DELETED, Status.REJECTED]).filter(
        reports__resolved_at__isnull=True, reports__isnull=False
    )
    counts["reported"] = reported.values("pk").distinct().count()
    return counts


def story_for_desk(story_id: str | None) -> Story | None:
    if not story_id or not str(story_id).isdigit():
        return None
    return Story.objects.filter(pk=int(story_id)).first()


def comment_for_desk(comment_id: int) -> Comment | None:
    return (
        Comment.objects.select_related("author", "story", "parent__author", "status_changed_by")
        .filter(pk=comment_id)
        .first()
    )


@dataclass(frozen=True)
class History:
    reader: User
    comments: int
    published: int
    pending: int
    rejected: int
    deleted: int
    reports_against: int
    sanctions: list[Sanction]
    names: list[dict[str, object]]
    in_force: list[Sanction]


def author_history(reader: User) -> History:
    by_status = dict(
        Comment.objects.filter(author=reader)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    sanctions = list(
        Sanction.objects.filter(reader=reader)
        .select_related("issued_by", "lifted_by")
        .order_by("-starts_at", "-pk")
    )
    now = timezone.now()
    in_force = [
        s
        for s in sanctions
        if s.kind != Sanction.Kind.WARNING
        and s.lifted_at is None
        and s.starts_at <= now
        and (s.ends_at is None or s.ends_at > now)
    ]
    return History(
        reader=reader,
        comments=sum(by_status.values()),
        published=by_status.get(Status.PUBLISHED, 0),
        pending=by_status.get(Status.PENDING, 0),
        rejected=by_status.get(Status.REJECTED, 0),
        deleted=by_status.get(Status.DELETED, 0),
        reports_against=Report.objects.filter(comment__author=reader).count(),
        sanctions=sanctions,
        names=display_name_history(reader),
        in_force=in_force,
    )


def recent_comments_by(
    reader: User, limit: int = 10, exclude: int | None = None
) -> QuerySet[Comment]:
    comments = Comment.objects.filter(author=reader).select_related("story")
    if exclude is not None:
        comments = comments.exclude(pk=exclude)
    return comments.order_by("-created_at", "-pk")[:limit]


def reports_on(comment: Comment) -> QuerySet[Report]:
    return Report.objects.filter(comment=comment).select_related("reader", "resolved_by")


def audit_for(target: Any) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(
        target_type=target._meta.label_lower, target_id=str(target.pk)
    ).select_related("actor")


def audit_log(
    query: str = "",
    *,
    action: str = "",
    moderator: int | None = None,
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEntry]:
    """The audit log, newest first: words in the reason, the actor's display name or the
    target ("#12"), one action, one moderator, and days from `since` to `until` (inclusive,
    in the site's time zone). Never by e-mail address: staff do not search readers by it."""
    entries = AuditEntry.objects.select_related("actor")
    for word in query.split()[:8]:
        match = (
            Q(action__icontains=word)
            | Q(reason__icontains=word)
            | Q(actor__display_name__icontains=word)
            | Q(target_type__icontains=word)
        )
        word_id = word.lstrip("#")
        if word_id.isdigit():
            match |= Q(target_id=word_id)
        entries = entries.filter(match)
    if action:
        entries = entries.filter(action=action)
    if moderator:
        entries = entries.filter(actor_id=moderator)
    zone = timezone.get_current_timezone()
    if since:
        entries = entries.filter(
            created_at__gte=timezone.make_aware(datetime.combine(since, time.min), zone)
        )
    if until:
        next_day = datetime.combine(until + timedelta(days=1), time.min)
        entries = entries.filter(created_at__lt=timezone.make_aware(next_day, zone))
    return entries


def audit_actions() -> list[str]:
    """The actions the log holds, for its filter."""
    return sorted(set(AuditEntry.objects.values_list("action", flat=True).distinct()))


def audit_moderators() -> QuerySet[User]:
    """Staff who made moderation decisions, for the log's filter."""
    actors = AuditEntry.objects.filter(action__startswith="moderation:").values("actor_id")
    return User.objects.filter(pk__in=actors).order_by("display_name", "pk")


def terms(query: str = "") -> dict[str, list[Term]]:
    """The banned and suspect lists, alphabetical; `query` keeps terms whose text or note
    contains it."""
    found = Term.objects.select_related("added_by").order_by("key")
    if query:
        found = found.filter(Q(text__icontains=query) | Q(note__icontains=query))
    listed = list(found)
    return {
        "banned": [t for t in listed if t.kind == Term.Kind.BANNED],
        "suspect": [t for t in listed if t.kind == Term.Kind.SUSPECT],
    }


def audit_about_reader(reader: User) -> QuerySet[AuditEntry]:
    """Sanctions on a reader and decisions on their comments, newest first."""
    ids = Comment.objects.filter(author=reader).values_list("pk", flat=True)
    comment_ids = [str(pk) for pk in ids]
    return AuditEntry.objects.select_related("actor").filter(
        Q(details__reader=reader.pk) | Q(target_type="comments.comment", target_id__in=comment_ids)
    )


def blocked_domains() -> QuerySet[BlockedDomain]:
    return BlockedDomain.objects.select_related("added_by")


def newsroom_models(limit: int = 5) -> list[NewsroomModel]:
    """The latest trainings, newest first, without their (large) fitted models."""
    return list(NewsroomModel.objects.defer("blob")[:limit])


def decisions_recorded() -> dict[str, int]:
    from broadsheet.moderation.models import Decision

    return Decision.objects.aggregate(
        approved=Count("pk", filter=Q(rejected=False)),
        rejected=Count("pk", filter=Q(rejected=True)),
    )


@dataclass(frozen=True)
class StoryLoad:
    """A story's work for the desk: how many of its comments wait in each queue."""

    story: Story
    pending: int
    reported: int
    flagged: int


def stories_waiting(limit: int = 100) -> list[StoryLoad]:
    """Stories with comments waiting, most pending first, then most reported and flagged."""
    live = [Status.PENDING, Status.PUBLISHED]
    rows = list(
        Comment.objects.filter(status__in=live)
        .values("story_id")
        .annotate(
            pending=Count("pk", filter=Q(status=Status.PENDING), distinct=True),
            reported=Count(
                "pk",
                filter=Q(reports__isnull=False, reports__resolved_at__isnull=True),
                distinct=True,
            ),
            flagged=Count("pk", filter=Q(toxicity__gte=conf.toxicity_threshold()), distinct=True),
        )
        .filter(Q(pending__gt=0) | Q(reported__gt=0) | Q(flagged__gt=0))
        .order_by("-pending", "-reported", "-flagged", "story_id")[:limit]
    )
    stories = Story.objects.in_bulk([row["story_id"] for row in rows])
    return [
        StoryLoad(stories[row["story_id"]], row["pending"], row["reported"], row["flagged"])
        for row in rows
        if row["story_id"] in stories
    ]


def notes_about(reader: User) -> QuerySet[ReaderNote]:
    """The desk's private notes about a reader, newest first."""
    return ReaderNote.objects.filter(reader=reader).select_related("written_by")
