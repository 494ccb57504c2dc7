"""The desk's Appeals and Notices queues as JSON, calling the same services as the desk pages."""

from datetime import datetime
from typing import Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.security import django_auth

from broadsheet.accounts.models import User
from broadsheet.api.errors import ErrorOut
from broadsheet.appeals import notices, queries, services
from broadsheet.appeals.models import Appeal, Notice
from broadsheet.moderation.access import check_desk_member

appeals_router = Router(tags=["moderation"], auth=django_auth)
notices_router = Router(tags=["moderation"], auth=django_auth)

ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut}


def _user(request: HttpRequest) -> User:
    user = request.user
    check_desk_member(user)
    assert isinstance(user, User)
    return user


class AppealOut(Schema):
    id: int
    status: str
    text: str
    response: str
    created_at: datetime
    handled_at: datetime | None
    reader_id: int
    decision: str = Field(description="What was decided: comment_rejected, suspension, ...")
    ground: str
    reason: str = Field(description="The moderator's own words when deciding.")
    automatic: bool
    decided_by_id: int | None = Field(description="Who decided; they may not judge the appeal.")
    comment_id: int | None
    sanction_id: int | None


class AppealsOut(Schema):
    count: int
    items: list[AppealOut]


class AppealDecisionIn(Schema):
    outcome: Literal["uphold", "reverse"]
    response: str = Field(..., max_length=1000, description="The reader sees it.")


def _appeal(found: Appeal) -> AppealOut:
    s = found.statement
    return AppealOut(
        id=found.pk,
        status=found.status,
        text=found.text,
        response=found.response,
        created_at=found.created_at,
        handled_at=found.handled_at,
        reader_id=found.reader_id,
        decision=s.decision,
        ground=s.ground,
        reason=s.text,
        automatic=s.automatic,
        decided_by_id=s.decided_by_id,
        comment_id=s.comment_id,
        sanction_id=s.sanction_id,
    )


@appeals_router.get(
    "", response={200: AppealsOut, 401: ErrorOut, 403: ErrorOut}, summary="Appeals waiting"
)
def list_appeals(request: HttpRequest, limit: int = 25, offset: int = 0) -> AppealsOut:
    _user(request)
    found = queries.open_appeals()
    limit, offset = max(1, min(limit, 100)), max(0, offset)
    return AppealsOut(
        count=found.count(), items=[_appeal(a) for a in found[offset : offset + limit]]
    )


@appeals_router.post(
    "/{appeal_id}/decision",
    response={200: AppealOut, **ERRORS},
    summary="Uphold or reverse an appeal (not by the moderator who decided)",
)
def decide_appeal(request: HttpRequest, appeal_id: int, body: AppealDecisionIn) -> AppealOut:
    handled = services.handle(_user(request), appeal_id, body.outcome, response=body.response)
    found = queries.appeal_for_desk(handled.pk)
    assert found is not None
    return _appeal(found)


class NoticeOut(Schema):
    id: int
    status: str
    name: str
    email: str
    comment_id: int | None
    law: str
    explanation: str
    response: str
    created_at: datetime
    handled_at: datetime | None


class NoticesOut(Schema):
    count: int
    items: list[NoticeOut]


class NoticeDecisionIn(Schema):
    action: Literal["remove", "decline"]
    response: str = Field(..., max_length=1000, description="The sender sees it.")


def _notice(found: Notice) -> NoticeOut:
    return NoticeOut.from_orm(found)


@notices_router.get(
    "",
    response={200: NoticesOut, 401: ErrorOut, 403: ErrorOut},
    summary="Illegal-content notices waiting",
)
def list_notices(request: HttpRequest, limit: int = 25, offset: int = 0) -> NoticesOut:
    _user(request)
    found = queries.open_notices()
    limit, offset = max(1, min(limit, 100)), max(0, offset)
    return NoticesOut(
        count=found.count(), items=[_notice(n) for n in found[offset : offset + limit]]
    )


@notices_router.post(
    "/{notice_id}/decision",
    response={200: NoticeOut, **ERRORS},
    summary="Remove the comment a notice names, or take no action",
)
def decide_notice(request: HttpRequest, notice_id: int, body: NoticeDecisionIn) -> NoticeOut:
    return _notice(notices.handle(_user(request), notice_id, body.action, response=body.response))
