"""Reads of stories for readers: only what is published, and published by now."""

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.core.cache import cache
from django.db import connection, connections, router
from django.db.models import BooleanField, FloatField, Prefetch, QuerySet, prefetch_related_objects
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from broadsheet.accounts.models import User
from broadsheet.stories import conf
from broadsheet.stories.models import Section, Story, StorySlug, Topic

SEARCH_LIMIT = 200


def published_stories() -> QuerySet[Story]:
    return Story.objects.filter(
        status__in=[Story.Status.PUBLISHED, Story.Status.SCHEDULED],
        published_at__lte=timezone.now(),
    ).select_related("section")


def listed_stories() -> QuerySet[Story]:
    """Published stories shown on this site's own pages: not those embedded in a newsroom's."""
    return published_stories().filter(external_url="")


def _bylines() -> tuple[Prefetch[Any], str]:
    return Prefetch("authors", queryset=User.objects.order_by("display_name")), "topics"


def with_bylines(stories: QuerySet[Story]) -> QuerySet[Story]:
    """Stories with their authors and topics fetched in two queries, not one per story."""
    return stories.prefetch_related(*_bylines())


def add_bylines(story: Story) -> Story:
    """`story`, read without them, with its authors and topics: from the shared cache, kept
    per version of the story, or in two queries."""
    key = f"stories:bylines:{story.pk}:{story.updated_at.timestamp()}"
    found = cache.get(key)
    if isinstance(found, tuple):
        prefetched = story.__dict__.setdefault("_prefetched_objects_cache", {})
        for name, objects in zip(("authors", "topics"), found, strict=True):
            related = getattr(story, name).all()
            related._result_cache, related._prefetch_done = list(objects), True
            prefetched[name] = related
        return story
    prefetch_related_objects([story], *_bylines())
    # Authors as bylines show them: no password hash or e-mail in the shared store.
    authors = [User(pk=a.pk, display_name=a.display_name) for a in story.authors.all()]
    cache.set(key, (authors, list(story.topics.all())), timeout=300)
    return story


def for_lists(stories: QuerySet[Story]) -> QuerySet[Story]:
    """Stories for a list of headlines: their bodies, which lists never show, stay unread."""
    return with_bylines(stories).defer("body", "body_html")


@dataclass(frozen=True)
class Versions:
    """What a cached page of a story is kept under, read without building a model."""

    pk: int
    updated_at: str
    comment_version: int
    comment_count: int
    is_premium: bool
    public: bool  # published by now (as published_stories says)
    listed: bool  # and on this site's own pages (as listed_stories says)


def story_versions(slug: str) -> Versions | None:
    """The versions of the story at `slug`: one indexed row, read without the ORM's cost
    (a cached page is served in less time than the ORM takes to build this query).

    `listed` says what `listed_stories()` says of the row; anything but a listed story
    goes the ordinary way, which answers 404s and old slugs.
    """
    # The database the page itself reads (a replica for visitors, when there are replicas):
    # versions from the primary would key a page rendered from older rows.
    database = connections[router.db_for_read(Story)]
    table = database.ops.quote_name(Story._meta.db_table)
    with database.cursor() as cursor:
        cursor.execute(
            f"SELECT id, updated_at, comment_version, comment_count, is_premium, status, "  # noqa: S608
            f"published_at, external_url FROM {table} WHERE slug = %s",
            [slug],
        )
        row = cursor.fetchone()
    if row is None:
        return None
    pk, updated, version, count, premium, status, published, external = row
    public = (
        status in (Story.Status.PUBLISHED, Story.Status.SCHEDULED)
        and published is not None
        and _aware(published) <= timezone.now()
    )
    return Versions(
        pk, str(updated), version, count, bool(premium), public, public and not external
    )


def _aware(moment: Any) -> datetime:
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment, UTC)


def story_for_reader(slug: str, *, bylines: bool = True) -> Story:
    """The published story at `slug`; a draft or a story not yet due is a 404, never a 403.

    `bylines=False` reads the story's row alone: enough to find its cached page."""
    stories = listed_stories()
    return get_object_or_404(with_bylines(stories) if bylines else stories, slug=slug)


def story_by_any_slug(slug: str, *, bylines: bool = True) -> tuple[Story, bool]:
    """The published story at `slug` or at a slug it had before; True when the slug is old."""
    try:
        return story_for_reader(slug, bylines=bylines), False
    except Http404:
        moved = moved_story(slug)
        if moved is None:
            raise
        return story_for_reader(moved.slug, bylines=bylines), True


def lists_version() -> str:
    """Changes with every save of a story (published, withdrawn, edited): the version of
    the front page and section pages. One read of an index's end."""
    newest = Story.objects.order_by("-updated_at").values_list("updated_at", flat=True).first()
    return newest.isoformat() if newest else ""


def next_due() -> datetime | None:
    """When the next story scheduled for later comes out: the lists change then."""
    due: datetime | None = (
        Story.objects.filter(
            status__in=[Story.Status.PUBLISHED, Story.Status.SCHEDULED],
            published_at__gt=timezone.now(),
            external_url="",
        )
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    return due


def moved_story(slug: str) -> Story | None:
    """The published story that used to live at `slug`, before its headline changed."""
    old = StorySlug.objects.filter(slug=slug).first()
    if old is None:
        return None
    return listed_stories().filter(pk=old.story_id).first()


def external_page(slug: str) -> str | None:
    """The newsroom page whose comments the story at `slug` holds, for a story embedded there."""
    return (
        published_stories()
        .filter(slug=slug)
        .exclude(external_url="")
        .values_list("external_url", flat=True)
        .first()
    )


def section_for_reader(slug: str) -> Section:
    return get_object_or_404(Section, slug=slug)


def topic_for_reader(slug: str) -> Topic:
    return get_object_or_404(Topic, slug=slug)


def author_for_reader(pk: int) -> User:
    """An author page exists only for someone with a published story: readers stay private."""
    author = User.objects.filter(pk=pk, authored_stories__in=listed_stories()).first()
    if author is None:
        raise Http404(_("No such author."))
    return author


def front_page(
    per_section: int = 4, top: int = 5
) -> tuple[list[Story], list[tuple[Section, list[Story]]]]:
    """The top stories and the latest of each section below them, with no story twice.

    Stories the editors marked as top stories lead, newest first; the newest of the rest
    fill the remaining places.
    """
    live = for_lists(listed_stories())
    top_stories = list(live.filter(is_top_story=True)[:top])
    if len(top_stories) < top:
        chosen = [story.pk for story in top_stories]
        top_stories += list(live.exclude(pk__in=chosen)[: top - len(top_stories)])
    shown = [story.pk for story in top_stories]
    sections = []
    for section in Section.objects.all():
        latest = list(
            listed_stories()
            .defer("body", "body_html")
            .filter(section=section)
            .exclude(pk__in=shown)[:per_section]
        )
        if latest:
            sections.append((section, latest))
    return top_stories, sections


def cached_front_page(version: str) -> tuple[list[Story], list[tuple[Section, list[Story]]]]:
    """`front_page()`, kept in the shared store per version of the lists: the same for
    every reader, so a signed-in reader's front page costs no query for it either."""
    key = f"stories:front:{version}"
    found = cache.get(key)
    if isinstance(found, tuple) and (found[2] is None or found[2] > timezone.now()):
        return found[0], found[1]
    due = next_due()  # a scheduled story coming out changes the lists without a write
    top, sections = front_page()
    for story in top:
        # Bylines as shown: no password hash or e-mail in the shared store.
        authors = story.authors.all()
        authors._result_cache = [User(pk=a.pk, display_name=a.display_name) for a in authors]
    cache.set(key, (top, sections, due), timeout=60)
    return top, sections


def search_stories(query: str) -> list[Story]:
    """Published stories matching `query`, best match first.

    PostgreSQL ranks with its full-text search; SQLite with its FTS5 index (migration 0003).
    The headline weighs more than the summary, and the summary more than the body.
    """
    query = query.strip()
    if not query:
        return []
    if connection.vendor == "postgresql":
        return _search_postgres(query)
    return _search_sqlite(query)


def _search_postgres(query: str) -> list[Story]:
    # search_vector is maintained by a trigger (see fts.py) and is not a model field. The SQL
    # is constant; the reader's words and the language are parameters.
    tsquery = "websearch_to_tsquery(%s::regconfig, %s)"
    params = (conf.search_config(), query)
    matches = RawSQL(f"stories_story.search_vector @@ {tsquery}", params, BooleanField())  # noqa: S611
    rank = RawSQL(f"ts_rank(stories_story.search_vector, {tsquery})", params, FloatField())  # noqa: S611
    return list(
        listed_stories()
        .alias(matches=matches)
        .filter(matches=True)
        .annotate(rank=rank)
        .order_by("-rank", "-published_at")[:SEARCH_LIMIT]
    )


def fts5_query(query: str) -> str:
    """A reader's words as an FTS5 query: every word must match; the last may be a prefix.

    Each word is quoted, so FTS5 operators typed by a reader are searched as plain words.
    """
    words = re.findall(r"\w+", query)
    if not words:
        return ""
    quoted = [f'"{word}"' for word in words]
    quoted[-1] += "*"
    return " ".join(quoted)


def _search_sqlite(query: str) -> list[Story]:
    match = fts5_query(query)
    if not match:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid FROM stories_story_fts WHERE stories_story_fts MATCH %s "
            "ORDER BY bm25(stories_story_fts, 10.0, 4.0, 1.0) LIMIT %s",
            [match, SEARCH_LIMIT * 5],
        )
        ranked = [row[0] for row in cursor.fetchall()]
    found = listed_stories().in_bulk(ranked)
    return [found[pk] for pk in ranked if pk in found][:SEARCH_LIMIT]
