"""Reads of comments for readers.

A page of a thread is built with a fixed number of queries (top-level comments, their
replies, badges) whatever the story's size, and cached per (story, comment version, sort,
cursor): any write bumps the version, so a stale page is never served. What differs per
reader (their own reactions, what they may still edit, their comments awaiting review)
is a small second lookup.
"""

import base64
import binascii
import json
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet, Value
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from broadsheet.accounts.models import User
from broadsheet.accounts.readers import Reader, signed_in
from broadsheet.comments import conf
from broadsheet.comments.models import Comment, Reaction
from broadsheet.core.exceptions import ServiceError
from broadsheet.stories.models import Story


class Sort:
    PICKS = "picks"
    NEWEST = "newest"
    OLDEST = "oldest"
    RECOMMENDED = "recommended"
    REPLIES = "replies"


# (value, label), in the order the tabs show them: editors' picks first.
SORTS = [
    (Sort.PICKS, gettext_lazy("Editors' picks")),
    (Sort.NEWEST, gettext_lazy("Newest")),
    (Sort.OLDEST, gettext_lazy("Oldest")),
    (Sort.RECOMMENDED, gettext_lazy("Most recommended")),
    (Sort.REPLIES, gettext_lazy("Most replies")),
]
SORT_VALUES = [value for value, _ in SORTS]

# Sort -> (field, descending)
_ORDER = {
    Sort.PICKS: ("created_at", True),
    Sort.NEWEST: ("created_at", True),
    Sort.OLDEST: ("created_at", False),
    Sort.RECOMMENDED: ("recommend_count", True),
    Sort.REPLIES: ("reply_count", True),
}

STAFF_BADGES = {"Moderators": "Moderator", "Editors": "Editor"}
AUTHOR_BADGE = "Author"


@dataclass(frozen=True)
class Entry:
    """One comment as the public sees it: plain data, safe to cache."""

    id: int
    story_id: int
    author_id: int
    author_name: str
    body_html: str
    created_at: datetime
    edited_at: datetime | None
    deleted: bool
    featured: bool
    recommend_count: int
    reply_count: int
    depth: int
    parent_id: int | None
    root_id: int | None
    in_reply_to_id: int | None
    in_reply_to_name: str
    badges: tuple[str, ...] = ()

    @property
    def thread_id(self) -> int:
        return self.root_id or self.id


@dataclass(frozen=True)
class Thread:
    comment: Entry
    replies: list[Entry] = field(default_factory=list)
    hidden_replies: int = 0


@dataclass(frozen=True)
class ThreadPage:
    sort: str
    threads: list[Thread]
    next_cursor: str = ""
    has_picks: bool = False

    def entries(self) -> list[Entry]:
        return [e for t in self.threads for e in (t.comment, *t.replies)]


# --- cursors ----------------------------------------------------------------------------


def _encode_cursor(value: Any, pk: int) -> str:
    if isinstance(value, datetime):
        value = value.isoformat()
    raw = json.dumps([value, pk], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode_cursor(cursor: str, sort: str) -> tuple[Any, int]:
    invalid = ServiceError(_("This page link is not valid."), code="invalid_cursor", status=422)
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value, pk = json.loads(raw)
    except (ValueError, TypeError, binascii.Error) as error:
        raise invalid from error
    if not isinstance(pk, int) or isinstance(pk, bool):
        raise invalid
    if _ORDER[sort][0] == "created_at":
        try:
            value = datetime.fromisoformat(value)
        except (TypeError, ValueError) as error:
            raise invalid from error
        if value.tzinfo is None:
            raise invalid
    elif not isinstance(value, int) or isinstance(value, bool):
        raise invalid
    return value, pk


def check_sort(sort: str | None, *, default: str = Sort.NEWEST) -> str:
    if not sort:
        return default
    if sort not in SORT_VALUES:
        raise ServiceError(
            _("Sort by one of: %(join)s.") % {"join": ", ".join(SORT_VALUES)},
            code="invalid_sort",
            status=422,
        )
    return sort


# --- building pages ---------------------------------------------------------------------


def _visible() -> Q:
    # A deleted comment stays as "This comment was deleted" while it has replies.
    return Q(status=Comment.Status.PUBLISHED) | Q(status=Comment.Status.DELETED, reply_count__gt=0)


def _public_comments() -> QuerySet[Comment]:
    return Comment.objects.select_related("author", "in_reply_to__author")


def _public(story: Story) -> QuerySet[Comment]:
    return _public_comments().filter(story=story)


def _badges(story: Story, comments: list[Comment]) -> dict[int, tuple[str, ...]]:
    authors = {c.author_id for c in comments}
    if not authors:
        return {}
    found: dict[int, list[str]] = defaultdict(list)
    story_authors = set(story.authors.filter(pk__in=authors).values_list("pk", flat=True))
    for user_id in sorted(story_authors):
        found[user_id].append(AUTHOR_BADGE)
    memberships = User.groups.through.objects.filter(
        user_id__in=authors, group__name__in=STAFF_BADGES
    ).values_list("user_id", "group__name")
    for user_id, group in sorted(memberships, key=lambda m: (m[0], m[1])):
        found[user_id].append(STAFF_BADGES[group])
    return {user_id: tuple(names) for user_id, names in found.items()}


def _entry(comment: Comment, badges: dict[int, tuple[str, ...]]) -> Entry:
    deleted = comment.status == Comment.Status.DELETED
    answered = comment.in_reply_to
    return Entry(
        id=comment.pk,
        story_id=comment.story_id,
        author_id=comment.author_id,
        author_name="" if deleted else comment.author.public_name,
        body_html="" if deleted else comment.body_html,
        created_at=comment.created_at,
        edited_at=comment.edited_at,
        deleted=deleted,
        featured=comment.is_featured,
        recommend_count=comment.recommend_count,
        reply_count=comment.reply_count,
        depth=comment.depth,
        parent_id=comment.parent_id,
        root_id=comment.root_id,
        in_reply_to_id=answered.pk if answered else None,
        in_reply_to_name=answered.author.public_name if answered else "",
        badges=() if deleted else badges.get(comment.author_id, ()),
    )


def _in_tree_order(replies: list[Comment]) -> dict[int, list[Comment]]:
    """Replies per thread, each followed by its own replies, oldest first."""
    children: dict[int, list[Comment]] = defaultdict(list)
    for reply in replies:
        assert reply.parent_id is not None
        children[reply.parent_id].append(reply)
    ordered: dict[int, list[Comment]] = defaultdict(list)

    def walk(root_id: int, parent_id: int) -> None:
        for child in children.get(parent_id, []):
            ordered[root_id].append(child)
            walk(root_id, child.pk)

    for root_id in {r.root_id for r in replies if r.root_id is not None}:
        walk(root_id, root_id)
    return ordered


def _threads(
    story: Story, tops: list[Comment], *, expanded: int | None = None, with_replies: bool = True
) -> list[Thread]:
    replies: list[Comment] = []
    if with_replies and tops:
        replies = list(
            _public(story)
            .filter(_visible(), root_id__in=[t.pk for t in tops])
            .order_by("created_at", "pk")
        )
    badges = _badges(story, tops + replies)
    by_thread = _in_tree_order(replies)
    shown = conf.replies_shown()
    threads = []
    for top in tops:
        thread = [_entry(r, badges) for r in by_thread.get(top.pk, [])]
        keep = len(thread) if expanded == top.pk else shown
        threads.append(Thread(_entry(top, badges), thread[:keep], max(0, len(thread) - keep)))
    return threads


def _build_page(story: Story, sort: str, cursor: str) -> ThreadPage:
    order_field, descending = _ORDER[sort]
    comments = _public(story)
    if sort == Sort.PICKS:
        comments = comments.filter(status=Comment.Status.PUBLISHED, is_featured=True)
    else:
        comments = comments.filter(_visible(), parent__isnull=True)
    if cursor:
        value, pk = _decode_cursor(cursor, sort)
        op = "lt" if descending else "gt"
        comments = comments.filter(
            Q(**{f"{order_field}__{op}": value}) | Q(**{order_field: value, f"pk__{op}": pk})
        )
    prefix = "-" if descending else ""
    size = conf.page_size()
    found = list(comments.order_by(f"{prefix}{order_field}", f"{prefix}pk")[: size + 1])
    tops, more = found[:size], len(found) > size
    next_cursor = _encode_cursor(getattr(tops[-1], order_field), tops[-1].pk) if more else ""
    threads = _threads(story, tops, with_replies=sort != Sort.PICKS)
    return ThreadPage(sort=sort, threads=threads, next_cursor=next_cursor)


def _cached(key: str, build: Any) -> Any:
    found = cache.get(key)
    if found is None:
        found = build()
        cache.set(key, found, timeout=conf.cache_seconds())
    return found


def cache_key(story: Story, *parts: object) -> str:
    """A cache key that changes with every write to the story's comments."""
    return _key(story, *parts)


def _key(story: Story, *parts: object) -> str:
    return ":".join(["comments", "v1", str(story.pk), str(story.comment_version), *map(str, parts)])


def has_picks(story: Story) -> bool:
    return bool(
        _cached(
            _key(story, "picks"),
            lambda: int(
                Comment.objects.filter(
                    story=story, status=Comment.Status.PUBLISHED, is_featured=True
                ).exists()
            ),
        )
    )


def thread_page(story: Story, *, sort: str = Sort.NEWEST, cursor: str = "") -> ThreadPage:
    """One page of the story's comments, top-level ones with their replies."""
    sort = check_sort(sort)
    if cursor:
        _decode_cursor(cursor, sort)  # refuse a bad cursor before it reaches the cache key
    page: ThreadPage = _cached(_key(story, sort, cursor), lambda: _build_page(story, sort, cursor))
    return page


def full_thread(story: Story, root_id: int) -> Thread | None:
    """One thread with every reply shown: the permalink and "show N more replies"."""

    def build() -> Thread | None:
        top = _public(story).filter(_visible(), pk=root_id, parent__isnull=True).first()
        return _threads(story, [top], expanded=root_id)[0] if top else None

    thread: Thread | None = _cached(_key(story, "thread", root_id), lambda: build() or False)
    return thread or None


# --- what differs per reader ------------------------------------------------------------


@dataclass(frozen=True)
class ReaderView:
    user_id: int | None = None
    recommended: frozenset[int] = frozenset()
    editable: frozenset[int] = frozenset()
    awaiting: list[Comment] = field(default_factory=list)
    # Authors this reader muted (their comments collapse, for this reader only).
    muted: frozenset[int] = frozenset()
    # Threads (top-level comment ids) this reader follows.
    followed_threads: frozenset[int] = frozenset()
    # Whether they follow the whole story (read only when follows were asked for).
    following_story: bool = False

    def is_muted(self, entry: Entry) -> bool:
        return not entry.deleted and entry.author_id in self.muted


def reader_view(
    reader: Reader,
    story: Story,
    entries: list[Entry],
    *,
    with_awaiting: bool = True,
    with_follows: bool = True,
) -> ReaderView:
    """The reader's own reactions, what they may still edit, their comments in review,
    whom they muted and which threads (and whether the story) they follow.

    Read in one query (a UNION of the four); the comments in review are fetched whole
    only when there are some.
    """
    from broadsheet.notifications.models import Follow
    from broadsheet.notifications.queries import muted_among

    user = signed_in(reader)
    if user is None:
        return ReaderView()
    ids = [e.id for e in entries]
    tops = [e.id for e in entries if e.parent_id is None]
    mine = Reaction.objects.filter(reader=user, comment_id__in=ids, kind=Reaction.Kind.RECOMMEND)
    parts: list[QuerySet[Any, Any]] = [mine.values_list(Value("recommended"), "comment_id")]
    if with_awaiting:
        pending = Comment.objects.filter(story=story, author=user, status=Comment.Status.PENDING)
        parts.append(pending.values_list(Value("awaiting"), "pk"))
    if with_follows:
        follows = Follow.objects.filter(reader_id=user.pk, following=True)
        parts.append(follows.filter(thread_id__in=tops).values_list(Value("thread"), "thread_id"))
        parts.append(follows.filter(story_id=story.pk).values_list(Value("story"), "story_id"))
    found: dict[str, set[int]] = defaultdict(set)
    parts = [part.order_by() for part in parts]  # a UNION takes no ORDER BY in its parts
    for kind, pk in parts[0].union(*parts[1:], all=True):
        found[kind].add(pk)
    window_start = timezone.now() - timedelta(seconds=conf.edit_window_seconds())
    editable = frozenset(
        e.id
        for e in entries
        if e.author_id == user.pk and not e.deleted and e.created_at > window_start
    )
    awaiting = (
        list(Comment.objects.filter(pk__in=found["awaiting"]).order_by("-created_at")[:20])
        if found["awaiting"]
        else []
    )
    editable |= {c.pk for c in awaiting if c.created_at > window_start}
    muted = muted_among(user.pk, {e.author_id for e in entries if e.author_id != user.pk})
    return ReaderView(
        user.pk,
        frozenset(found["recommended"]),
        editable,
        awaiting,
        muted,
        frozenset(found["thread"]),
        following_story=bool(found["story"]),
    )


# --- single comments and the reader's own list ------------------------------------------


def _seen_by(user: User | None) -> Q:
    """Which comments a reader may fetch by id.

    Everyone: published comments, and the place of a deleted one whose replies remain.
    The author: also their own comment while it is held or after it was rejected.
    Nobody here: deleted comments, and anything on a story that is not out. Moderators
    see the rest on the desk, which has its own staff-only routes.
    """
    seen = _visible()
    if user is not None:
        seen |= Q(author=user, status__in=[Comment.Status.PENDING, Comment.Status.REJECTED])
    return seen & Q(
        story__status__in=[Story.Status.PUBLISHED, Story.Status.SCHEDULED],
        story__published_at__lte=timezone.now(),
    )


def comment_for_reader(reader: Reader, comment_id: int) -> Comment:
    """The one way to fetch a comment by id on a reader's behalf: 404 unless they may see it.

    Every page, fragment and API endpoint that takes a comment id starts here, so a held,
    rejected or deleted comment answers exactly as one that never existed.
    """
    comment = (
        Comment.objects.select_related("story", "author", "parent__author")
        .filter(_seen_by(signed_in(reader)), pk=comment_id)
        .first()
    )
    if comment is None:
        raise ServiceError(_("There is no such comment."), code="not_found", status=404)
    return comment


def public_comment(reader: Reader, comment_id: int) -> Comment:
    """A comment as everyone sees it (published, or the place of a deleted one): 404 if not."""
    comment = comment_for_reader(reader, comment_id)
    if comment.status not in (Comment.Status.PUBLISHED, Comment.Status.DELETED):
        raise ServiceError(_("There is no such comment."), code="not_found", status=404)
    return comment


def published_comment(reader: Reader, comment_id: int) -> Comment:
    """A published comment the reader may answer, recommend or report: 404 if not."""
    comment = comment_for_reader(reader, comment_id)
    if comment.status != Comment.Status.PUBLISHED:
        raise ServiceError(_("There is no such comment."), code="not_found", status=404)
    return comment


# The columns an Entry is made of (a live update builds one per new comment).
ENTRY_FIELDS = (
    "story_id", "author_id", "status", "body_html", "created_at", "edited_at", "is_featured",
    "recommend_count", "reply_count", "depth", "parent_id", "root_id", "in_reply_to_id",
    "author__display_name", "in_reply_to__author__display_name",
)  # fmt: skip


def public_entry(comment_id: int, story: Story | None = None) -> Entry | None:
    """One comment as the public sees it, or None while the public may not see it.

    `story`: the comment's story, when the caller has it already.
    """
    comments = _public_comments().only(*ENTRY_FIELDS)
    if story is None:
        comments = comments.select_related("story")
    comment = comments.filter(_visible(), pk=comment_id).first()
    if comment is None:
        return None
    return _entry(comment, _badges(story or comment.story, [comment]))


def own_comment(reader: Reader, comment_id: int) -> Comment:
    """The reader's own comment (not deleted): 404 for anyone else's."""
    comment = comment_for_reader(reader, comment_id)
    user = signed_in(reader)
    if user is None or comment.author_id != user.pk:
        raise ServiceError(_("There is no such comment."), code="not_found", status=404)
    return comment


def my_comments(user: User, page_number: str | int | None) -> Page[Comment]:
    """The reader's comments, newest first, whatever their status."""
    comments = (
        Comment.objects.filter(author=user).select_related("story").order_by("-created_at", "-pk")
    )
    return Paginator(comments, 25).get_page(page_number)


def latest_published(story: Story, limit: int) -> list[Comment]:
    """The story's newest published comments, replies included: its comments feed."""
    return list(
        _public(story)
        .select_related("story")
        .filter(status=Comment.Status.PUBLISHED)
        .order_by("-created_at", "-pk")[:limit]
    )
