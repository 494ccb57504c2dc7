"""The moderation API: the desk's queues and decisions, and readers' reports.

Every endpoint calls the same service functions as the desk, so the rules and the
errors are the same: 401 for visitors, 403 for readers on desk endpoints, 409 when
another moderator already handled the comment.
"""

from datetime import datetime, timedelta
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.security import django_auth

from broadsheet.accounts.models import User
from broadsheet.api.errors import ErrorOut
from broadsheet.comments.models import Comment
from broadsheet.core.exceptions import ServiceError
from broadsheet.moderation import queries, services
from broadsheet.moderation.access import check_desk_member

router = Router(tags=["moderation"], auth=django_auth)

QueueName = Literal["pending", "reported", "flagged", "recent", "rejected"]
GroundName = Literal[
    "personal_attack", "hate", "threat", "sexual", "spam", "off_topic", "misinformation",
    "illegal", "other",
]  # fmt: skip


class CountsOut(Schema):
    pending: int
    reported: int
    flagged: int
    recent: int
    rejected: int


class ReportOut(Schema):
    reason: str
    text: str
    created_at: datetime


class ItemOut(Schema):
    id: int
    story_id: int
    story_headline: str
    story_url: str
    author_id: int
    author_name: str
    parent_id: int | None
    body: str
    body_html: str
    status: str
    revision: int
    toxicity: float | None
    hold_reasons: list[str]
    category: str = Field(
        description="What the automatic checks saw: threat, hate, sexual, insult, spam, "
        "other, or empty"
    )
    status_reason: str
    is_featured: bool
    created_at: datetime
    open_reports: list[ReportOut] = []


class QueueOut(Schema):
    queue: str
    count: int
    items: list[ItemOut]


class DecisionIn(Schema):
    action: Literal["approve", "reject", "feature", "unfeature"]
    revision: int = Field(..., ge=1, description="The revision you judged.")
    status: Literal["published", "pending", "rejected", "deleted"] = Field(
        ..., description="The status the comment had when you judged it."
    )
    reason: str = Field("", max_length=500, description="Needed to reject; the author sees it.")
    ground: GroundName | Literal[""] = Field(
        "",
        description="A rejection's ground for the author's statement of reasons; "
        "by default it follows from the reason or the comment's category.",
    )
    guideline: str = Field("", max_length=40, description="The guideline's anchor.")


class ReportIn(Schema):
    reason: Literal["abuse", "spam", "off_topic", "misinformation", "other"]
    text: str = Field("", max_length=1000, description="Needed for 'other'.")


class ReportCreatedOut(Schema):
    id: int
    comment_id: int
    reason: str


class SanctionIn(Schema):
    kind: Literal["warning", "suspension", "ban", "premoderation"]
    reason: str = Field(..., max_length=500)
    hours: int | None = Field(None, ge=1, le=24 * 365, description="Suspensions only.")
    comment_id: int | None = None
    ground: GroundName | Literal[""] = Field("", description="For the statement of reasons.")
    guideline: str = Field("", max_length=40, description="The guideline's anchor.")


class SanctionOut(Schema):
    id: int
    reader_id: int
    kind: str
    reason: str
    starts_at: datetime
    ends_at: datetime | None
    lifted_at: datetime | None


def _user(request: HttpRequest) -> User:
    user = request.user
    check_desk_member(user)
    assert isinstance(user, User)
    return user


def _item(comment: Comment) -> ItemOut:
    reports = getattr(comment, "open_reports", None)
    if reports is None:
        reports = list(comment.reports.filter(resolved_at__isnull=True))
    return ItemOut(
        id=comment.pk,
        story_id=comment.story_id,
        story_headline=comment.story.headline,
        story_url=comment.story.get_absolute_url(),
        author_id=comment.author_id,
        author_name=comment.author.public_name,
        parent_id=comment.parent_id,
        body=comment.body,
        body_html=comment.body_html,
        status=comment.status,
        revision=comment.revision,
        toxicity=comment.toxicity,
        hold_reasons=list(comment.hold_reasons or []),
        category=comment.category,
        status_reason=comment.status_reason,
        is_featured=comment.is_featured,
        created_at=comment.created_at,
        open_reports=[
            ReportOut(reason=r.reason, text=r.text, created_at=r.created_at) for r in reports
        ],
    )


@router.get(
    "/queues",
    response={200: CountsOut, 401: ErrorOut, 403: ErrorOut},
    summary="How many comments each queue holds",
)
def counts(request: HttpRequest, story: int | None = None) -> CountsOut:
    _user(request)
    return CountsOut(**queries.queue_counts(queries.story_for_desk(str(story or ""))))


@router.get(
    "/queues/{queue}",
    response={200: QueueOut, 401: ErrorOut, 403: ErrorOut},
    summary="The comments in a queue",
)
def queue(
    request: HttpRequest,
    queue: QueueName,
    story: int | None = None,
    limit: int = 25,
    offset: int = 0,
) -> QueueOut:
    _user(request)
    limit = max(1, min(limit, 100))
    offset = max(0, offset)
    comments = queries.queue_comments(queue, queries.story_for_desk(str(story or "")))
    return QueueOut(
        queue=queue,
        count=comments.count(),
        items=[_item(c) for c in comments[offset : offset + limit]],
    )


@router.post(
    "/comments/{comment_id}/decision",
    response={
        200: ItemOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
    },
    summary="Approve, reject, feature or unfeature a comment",
)
def decision(request: HttpRequest, comment_id: int, body: DecisionIn) -> ItemOut:
    moderator = _user(request)
    services.decide(
        moderator,
        comment_id,
        body.action,
        seen=services.Seen(revision=body.revision, status=body.status),
        reason=body.reason,
        ground=body.ground,
        guideline=body.guideline,
    )
    comment = queries.comment_for_desk(comment_id)
    if comment is None:
        raise ServiceError(_("There is no such comment."), code="not_found", status=404)
    return _item(comment)


@router.post(
    "/comments/{comment_id}/reports",
    response={201: ReportCreatedOut, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Report a comment (any signed-in reader)",
)
def report(request: HttpRequest, comment_id: int, body: ReportIn) -> Status[ReportCreatedOut]:
    created = services.report(request.user, comment_id, body.reason, body.text)
    return Status(
        201, ReportCreatedOut(id=created.pk, comment_id=comment_id, reason=created.reason)
    )


@router.post(
    "/readers/{reader_id}/sanctions",
    response={
        201: SanctionOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
    },
    summary="Warn, suspend, ban or always pre-moderate a reader",
)
def sanction(request: HttpRequest, reader_id: int, body: SanctionIn) -> Status[SanctionOut]:
    moderator = _user(request)
    created = services.sanction(
        moderator,
        reader_id,
        body.kind,
        reason=body.reason,
        duration=timedelta(hours=body.hours) if body.hours else None,
        comment_id=body.comment_id,
        ground=body.ground,
        guideline=body.guideline,
    )
    return Status(201, SanctionOut.from_orm(created))


@router.post(
    "/sanctions/{sanction_id}/lift",
    response={200: SanctionOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Lift a sanction now",
)
def lift(request: HttpRequest, sanction_id: int) -> SanctionOut:
    lifted = services.lift(_user(request), sanction_id)
    return SanctionOut.from_orm(lifted)
