"""The comments API: the gate, threads, and every write, through the same service functions.

Errors are the services' own: `{"detail", "code"}` with the status they carry (401 sign in,
403 the gate or ownership, 404 unknown, 422 invalid, 429 rate limited, 503 limits unavailable).
"""

from datetime import datetime
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.responses import NinjaJSONEncoder
from ninja.security import APIKeyCookie

from broadsheet.api.errors import ErrorOut
from broadsheet.comments import queries, services
from broadsheet.comments.gate import decide
from broadsheet.comments.models import Comment
from broadsheet.core import pagecache
from broadsheet.core.exceptions import ServiceError
from broadsheet.stories.models import Story
from broadsheet.stories.queries import published_stories, story_versions


class SessionReader(APIKeyCookie):
    """The signed-in reader from the session cookie, or a visitor.

    Visitors pass through so the gate can answer them itself; a signed-in reader's
    unsafe requests must carry the CSRF token, as a form would.
    """

    param_name = "sessionid"

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return request.user


router = Router(tags=["comments"], auth=SessionReader())


# --- schemas ------------------------------------------------------------------------------


class LinkOut(Schema):
    text: str
    url: str


class DecisionOut(Schema):
    allowed: bool
    reason: str = Field(description="Empty when allowed; else the first reason that applies.")
    message: str
    fix_url: str
    links: list[LinkOut]


class CommentOut(Schema):
    id: int
    story_id: int
    author: str
    badges: list[str]
    body_html: str
    status: str
    created_at: datetime
    edited: bool
    featured: bool
    deleted: bool
    recommend_count: int
    reply_count: int
    depth: int
    parent_id: int | None
    in_reply_to: str | None
    url: str


class ThreadOut(Schema):
    comment: CommentOut
    replies: list[CommentOut]
    hidden_replies: int


class ViewerOut(Schema):
    """What is particular to the reader asking: empty lists for a visitor."""

    recommended: list[int] = Field(description="Comments on this page the reader recommended.")
    editable: list[int] = Field(description="The reader's own comments they may still edit.")
    muted: list[int] = Field(
        default_factory=list,
        description="Comments on this page by readers the reader muted (shown collapsed).",
    )


class ThreadPageOut(Schema):
    sort: str
    comments: list[ThreadOut]
    next_cursor: str | None
    comment_count: int
    viewer: ViewerOut


class TextIn(Schema):
    text: str = Field(max_length=100_000)
    token: str = Field(
        default="",
        max_length=64,
        description="A one-time token: sending the same token again returns the first comment.",
    )


class EditIn(Schema):
    text: str = Field(max_length=100_000)


class RecommendationOut(Schema):
    comment_id: int
    recommended: bool
    count: int


# --- helpers ------------------------------------------------------------------------------


def _story(slug: str) -> Story:
    return get_object_or_404(published_stories(), slug=slug)


def _entry_out(entry: queries.Entry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "story_id": entry.story_id,
        "author": entry.author_name,
        "badges": list(entry.badges),
        "body_html": entry.body_html,
        "status": "deleted" if entry.deleted else "published",
        "created_at": entry.created_at,
        "edited": entry.edited_at is not None,
        "featured": entry.featured,
        "deleted": entry.deleted,
        "recommend_count": entry.recommend_count,
        "reply_count": entry.reply_count,
        "depth": entry.depth,
        "parent_id": entry.parent_id,
        "in_reply_to": entry.in_reply_to_name or None,
        "url": f"/comments/{entry.id}/",
    }


def _comment_out(comment: Comment) -> dict[str, Any]:
    deleted = comment.status == Comment.Status.DELETED
    return {
        "id": comment.pk,
        "story_id": comment.story_id,
        "author": "" if deleted else comment.author.public_name,
        "badges": [],
        "body_html": comment.body_html,
        "status": comment.status,
        "created_at": comment.created_at,
        "edited": comment.edited_at is not None,
        "featured": comment.is_featured,
        "deleted": deleted,
        "recommend_count": comment.recommend_count,
        "reply_count": comment.reply_count,
        "depth": comment.depth,
        "parent_id": comment.parent_id,
        "in_reply_to": comment.in_reply_to.author.public_name if comment.in_reply_to else None,
        "url": f"/comments/{comment.pk}/",
    }


# --- endpoints ----------------------------------------------------------------------------


@router.get(
    "/stories/{slug}/gate",
    response=DecisionOut,
    summary="May the reader comment on this story, and if not, why?",
)
def gate(request: HttpRequest, slug: str) -> dict[str, Any]:
    decision = decide(request.user, _story(slug))
    return {
        "allowed": decision.allowed,
        "reason": decision.reason,
        "message": decision.message,
        "fix_url": decision.fix_url,
        "links": [{"text": link.text, "url": link.url} for link in decision.links],
    }


@router.get(
    "/stories/{slug}/thread",
    response={200: ThreadPageOut, 422: ErrorOut},
    summary="A page of the story's comments, 20 top-level comments with their replies",
)
def thread(
    request: HttpRequest, slug: str, sort: str = "newest", cursor: str = ""
) -> dict[str, Any] | HttpResponse:
    if not pagecache.is_visitor(request):
        return _thread(request, _story(slug), sort, cursor)
    versions = story_versions(slug)
    if versions is None or not versions.public:
        raise Http404("No Story matches the given query.")

    def render() -> HttpResponse:
        # What ninja would answer (the schema's output, its JSON encoder), kept whole:
        # every visitor gets the same bytes.
        data = ThreadPageOut.model_validate(_thread(request, _story(slug), sort, cursor))
        return JsonResponse(data.model_dump(), encoder=NinjaJSONEncoder)

    return pagecache.shared(
        request,
        ("api-thread", versions.pk, versions.comment_version, versions.comment_count),
        render,
        query_keys=frozenset({"sort", "cursor"}),
    )


def _thread(request: HttpRequest, story: Story, sort: str, cursor: str) -> dict[str, Any]:
    page = queries.thread_page(story, sort=queries.check_sort(sort), cursor=cursor)
    viewer = queries.reader_view(
        request.user, story, page.entries(), with_awaiting=False, with_follows=False
    )
    return {
        "sort": page.sort,
        "comments": [
            {
                "comment": _entry_out(t.comment),
                "replies": [_entry_out(r) for r in t.replies],
                "hidden_replies": t.hidden_replies,
            }
            for t in page.threads
        ],
        "next_cursor": page.next_cursor or None,
        "comment_count": story.comment_count,
        "viewer": {
            "recommended": sorted(viewer.recommended),
            "editable": sorted(viewer.editable),
            "muted": sorted(e.id for e in page.entries() if viewer.is_muted(e)),
        },
    }


@router.get(
    "/threads/{comment_id}",
    response={200: ThreadOut, 404: ErrorOut},
    summary="A whole thread, every reply shown",
)
def full_thread(request: HttpRequest, comment_id: int) -> dict[str, Any]:
    comment = queries.public_comment(request.user, comment_id)
    found = queries.full_thread(comment.story, comment.root_id or comment.pk)
    if found is None:
        raise ServiceError(_("There is no such comment."), code="not_found", status=404)
    return {
        "comment": _entry_out(found.comment),
        "replies": [_entry_out(r) for r in found.replies],
        "hidden_replies": 0,
    }


WRITE_ERRORS = dict.fromkeys([401, 403, 404, 409, 422, 429], ErrorOut)
# Posting checks limits in the shared store: while it is down, 503 (try again shortly).
POST_ERRORS = {**WRITE_ERRORS, 503: ErrorOut}


@router.post(
    "/stories/{slug}/comments",
    response={201: CommentOut, **POST_ERRORS},
    summary="Post a comment on a story",
)
def post(request: HttpRequest, slug: str, payload: TextIn) -> Status:
    comment = services.post_comment(request.user, _story(slug), payload.text, token=payload.token)
    return Status(201, _comment_out(comment))


@router.post(
    "/{comment_id}/replies",
    response={201: CommentOut, **POST_ERRORS},
    summary="Reply to a comment",
)
def reply(request: HttpRequest, comment_id: int, payload: TextIn) -> Status:
    comment = services.reply_to(request.user, comment_id, payload.text, token=payload.token)
    return Status(201, _comment_out(comment))


@router.post(
    "/{comment_id}/recommend",
    response={200: RecommendationOut, **WRITE_ERRORS},
    summary="Recommend a comment, or take the recommendation back",
)
def recommend(request: HttpRequest, comment_id: int) -> dict[str, Any]:
    result = services.toggle_recommend(request.user, comment_id)
    return {
        "comment_id": result.comment_id,
        "recommended": result.recommended,
        "count": result.count,
    }


@router.patch(
    "/{comment_id}",
    response={200: CommentOut, **WRITE_ERRORS},
    summary="Edit your own comment (within the edit window)",
)
def edit(request: HttpRequest, comment_id: int, payload: EditIn) -> dict[str, Any]:
    return _comment_out(services.edit_comment(request.user, comment_id, payload.text))


@router.delete(
    "/{comment_id}",
    response={204: None, **WRITE_ERRORS},
    summary="Delete your own comment",
)
def delete(request: HttpRequest, comment_id: int) -> HttpResponse:
    services.delete_comment(request.user, comment_id)
    return HttpResponse(status=204)
