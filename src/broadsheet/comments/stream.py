"""The comment stream under a story: what the story page shows."""

import logging
import secrets
import sqlite3
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, QueryDict
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from broadsheet.comments import conf, queries
from broadsheet.comments.gate import Decision, decide
from broadsheet.comments.models import Comment
from broadsheet.core.exceptions import ServiceError
from broadsheet.live.log import event_log, redis_errors
from broadsheet.stories.models import Story
from broadsheet.stories.rules import comments_reviewed_first

logger = logging.getLogger(__name__)


@dataclass
class Composer:
    """The state of a comment form: what it posts to, the text kept, the refusal shown."""

    action: str
    mode: str = "new"  # new, reply or edit
    text: str = ""
    error: str = ""
    # A refusal whose message links to its fix (the gate's), already escaped.
    error_html: str = ""
    token: str = field(default_factory=lambda: secrets.token_urlsafe(16))
    answering: Any = None  # the comment being answered or edited
    cancel_url: str = ""
    # The story holds every comment for review: the form says so before anything is sent.
    reviewed_first: bool = False

    @property
    def submit_label(self) -> str:
        return {"reply": _("Post reply"), "edit": _("Save changes")}.get(
            self.mode, _("Post comment")
        )

    @property
    def max_length(self) -> int:
        return conf.max_length()


def new_comment_form(story: Story, **kwargs: Any) -> Composer:
    return Composer(
        action=f"/comments/story/{story.pk}/",
        reviewed_first=comments_reviewed_first(story),
        **kwargs,
    )


def reply_form(parent: Comment, **kwargs: Any) -> Composer:
    return Composer(
        action=f"/comments/{parent.pk}/reply/",
        mode="reply",
        answering=parent,
        cancel_url=permalink(parent),
        reviewed_first=comments_reviewed_first(parent.story),
        **kwargs,
    )


def edit_form(comment: Comment, **kwargs: Any) -> Composer:
    kwargs.setdefault("text", comment.body)
    return Composer(
        action=f"/comments/{comment.pk}/edit/",
        mode="edit",
        answering=comment,
        cancel_url=permalink(comment),
        **kwargs,
    )


def permalink(comment: Comment | queries.Entry) -> str:
    return f"/comments/{comment.pk if isinstance(comment, Comment) else comment.id}/"


def story_url(story: Story, **params: object) -> str:
    query = urlencode({k: v for k, v in params.items() if v})
    return story.get_absolute_url() + (f"?{query}" if query else "")


def _positive_int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 19 else None


def live_head() -> str:
    """Where this page's live updates start; "" while the event log cannot be read (Redis
    down): the page is then served without live updates instead of failing."""
    try:
        return event_log().head()
    except (redis_errors().RedisError, sqlite3.Error, OSError) as error:
        logger.warning("live: the event log is unreachable (%r); page served without it", error)
        return ""


def stream_context(
    request: HttpRequest,
    story: Story,
    *,
    form: Composer | None = None,
    decision: Decision | None = None,
    focus_thread: int | None = None,
    params: QueryDict | None = None,
    live_since: str | None = None,
) -> dict[str, Any]:
    """Everything `comments/stream.html` needs to show the stream for this reader.

    `params`: the sort, cursor and open thread to show (the request's query by default).
    `live_since`: where the live stream resumes, read by the caller before the story.
    """
    params = request.GET if params is None else params
    # Editors' picks are a strip above the whole stream, not a tab that hides the rest.
    picks = queries.has_picks(story)
    sort = params.get("sort") or queries.Sort.NEWEST
    if sort not in queries.SORT_VALUES or sort == queries.Sort.PICKS:
        sort = queries.Sort.NEWEST
    cursor = params.get("cursor", "")
    try:
        page = queries.thread_page(story, sort=sort, cursor=cursor)
    except ServiceError:
        cursor = ""
        page = queries.thread_page(story, sort=sort)
    focus_id = focus_thread or _positive_int(params.get("thread"))
    focus = queries.full_thread(story, focus_id) if focus_id else None
    entries = page.entries() + ([focus.comment, *focus.replies] if focus else [])
    sorts = [
        {"value": value, "label": label, "url": story_url(story, sort=value) + "#comments"}
        for value, label in queries.SORTS
        if value != queries.Sort.PICKS
    ]
    decision = decision or decide(request.user, story)
    since = live_head() if live_since is None else live_since
    reader = queries.reader_view(request.user, story, entries)
    context = {
        "story": story,
        "decision": decision,
        "form": form or (new_comment_form(story) if decision.allowed else None),
        "sort": sort,
        "sorts": sorts,
        "page": page,
        "picks": queries.thread_page(story, sort=queries.Sort.PICKS).entries() if picks else [],
        "cursor": cursor,
        "focus": focus,
        "reader": reader,
        "more_url": (
            story_url(story, sort=sort, cursor=page.next_cursor) + "#comments"
            if page.next_cursor
            else ""
        ),
        "more_partial_url": (
            f"/comments/story/{story.pk}/?{urlencode({'sort': sort, 'cursor': page.next_cursor})}"
            if page.next_cursor
            else ""
        ),
        "stream_url": f"/comments/story/{story.pk}/",
        "live_url": f"{settings.LIVE_URL}/live/stories/{story.pk}/" if since else "",
        "live_since": since,
        "signed_in": request.user.is_authenticated,
        "sign_in_url": "/accounts/sign-in/?" + urlencode({"next": story.get_absolute_url()}),
        "following_story": reader.following_story,
    }
    context["page_html"] = _page_html(request, story, context, focus_id if focus else None)
    return context


def thread_context(request: HttpRequest, story: Story, thread: queries.Thread) -> dict[str, Any]:
    """What the thread partial needs to show one whole thread to this reader."""
    return {
        "story": story,
        "decision": decide(request.user, story),
        "reader": queries.reader_view(request.user, story, [thread.comment, *thread.replies]),
        "signed_in": request.user.is_authenticated,
        "sign_in_url": "/accounts/sign-in/?" + urlencode({"next": story.get_absolute_url()}),
    }


def public_comment_html(story: Story, entry: queries.Entry) -> str:
    """One comment as a visitor sees it: what a live update sends every reader of the story.

    It holds nothing of any reader; signed-in readers fetch their own version of the thread.
    """
    stream = {
        "story": story,
        "reader": queries.ReaderView(),
        "signed_in": False,
        "sign_in_url": "/accounts/sign-in/?" + urlencode({"next": story.get_absolute_url()}),
    }
    return render_to_string("comments/stream.html#comment", {"stream": stream, "comment": entry})


def _render_part(name: str, context: dict[str, Any], entry: queries.Entry, token: str) -> str:
    return render_to_string(
        f"comments/stream.html#{name}",
        {"stream": context, "comment": entry, "csrf_token": token},
    ).strip()


def _swap(html: str, marker: str, opening: str, closing: str, replacement: str) -> str:
    """Replace the element whose start tag holds `marker` (an id) with `replacement`."""
    at = html.find(marker)
    if at < 0:
        return html
    start = html.rfind(opening, 0, at)
    end = html.index(closing, at) + len(closing)
    return html[:start] + replacement + html[end:]


def _page_html(
    request: HttpRequest, story: Story, context: dict[str, Any], focus_id: int | None
) -> SafeString:
    """The page of threads as HTML: rendered once per version for everyone, then personalised.

    The cached HTML is what any reader of the same kind (visitor, or signed in and
    allowed to reply or not) sees. It is stored cut at every place the reader's CSRF
    token goes, and joined with this reader's token: nothing is ever substituted into
    the text, so text a reader wrote cannot ask for the token (the cut marker is random
    per render, made after every comment on the page was written, and never leaves the
    server). What differs per reader is rendered again and swapped in: the action bar
    of their own comments and of those they recommended, the button of threads they
    follow, and (collapsed) the comments of readers they muted.
    """
    page: queries.ThreadPage = context["page"]
    allowed = context["decision"].allowed
    key = queries.cache_key(
        story, "html", page.sort, context["cursor"], focus_id or "",
        int(context["signed_in"]), int(allowed), get_language(),
    )  # fmt: skip
    pieces: list[str] | None = cache.get(key)
    if not isinstance(pieces, list):
        public = {**context, "reader": queries.ReaderView()}
        marker = f"csrf-{secrets.token_hex(16)}"
        pieces = render_to_string(
            "comments/stream.html#page", {"stream": public, "csrf_token": marker}
        ).split(marker)
        cache.set(key, pieces, timeout=conf.cache_seconds())
    # A visitor's page has no form to post, so no token: asking for one would set a cookie.
    token = get_token(request) if len(pieces) > 1 or context["signed_in"] else ""
    html = token.join(pieces)
    reader: queries.ReaderView = context["reader"]
    for entry in page.entries():
        if reader.is_muted(entry):
            # The whole comment, collapsed for this reader (its actions personalised too).
            html = _swap(html, f'id="comment-{entry.id}"', "<article", "</article>",
                         _render_part("comment", context, entry, token))  # fmt: skip
        elif not entry.deleted and (
            entry.author_id == reader.user_id or entry.id in reader.recommended
        ):
            html = _swap(html, f'id="actions-{entry.id}"', "<footer", "</footer>",
                         _render_part("actions", context, entry, token))  # fmt: skip
        elif entry.id in reader.followed_threads:
            html = _swap(html, f'id="follow-thread-{entry.id}"', "<form", "</form>",
                         _render_part("follow-thread", context, entry, token))  # fmt: skip
    return mark_safe(html)
