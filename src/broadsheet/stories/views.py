from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponsePermanentRedirect,
    HttpResponseRedirect,
)
from django.http.response import HttpResponseBase
from django.shortcuts import render as django_render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.static import serve as static_serve

from broadsheet.comments.stream import live_head, stream_context
from broadsheet.core import pagecache
from broadsheet.stories import conf, queries, rules
from broadsheet.stories.models import Story
from broadsheet.stories.seo import story_meta
from broadsheet.subscriptions.paywall import story_access

PAGE_SIZE = 20
# Lists show comment counts, which are not in their key: they follow within a minute.
LIST_SECONDS = 60
STORY_QUERY_KEYS = frozenset({"sort", "cursor", "thread"})


def render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return django_render(request, template, {"SITE_URL": conf.site_url(), **context})


def _page(request: HttpRequest, items: Any) -> Page[Any]:
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


def _shared(request: HttpRequest) -> dict[str, Any]:
    # Visitors' pages are stored and served to every visitor: base.html leaves out what
    # belongs to one reader (the CSRF token) while this is set.
    return {"shared_page": pagecache.is_visitor(request)}


def home(request: HttpRequest) -> HttpResponse:
    version = queries.lists_version()

    def build() -> HttpResponse:
        top, sections = queries.cached_front_page(version)
        return render(
            request,
            "stories/home.html",
            {"lead": top[:1], "top": top[1:], "sections": sections, **_shared(request)},
        )

    return pagecache.shared(
        request,
        ("home", version),
        build,
        valid_until=queries.next_due,
        seconds=LIST_SECONDS,
    )


def section(request: HttpRequest, slug: str) -> HttpResponse:
    def build() -> HttpResponse:
        section = queries.section_for_reader(slug)
        stories = queries.for_lists(queries.listed_stories().filter(section=section))
        return render(
            request,
            "stories/listing.html",
            {
                "title": section.name,
                "kind": "Section",
                "canonical_path": section.get_absolute_url(),
                "feed_url": f"/feeds/section/{section.slug}/",
                "page_obj": _page(request, stories),
                "empty": _("No stories in this section yet."),
                **_shared(request),
            },
        )

    return pagecache.shared(
        request,
        ("section", slug, queries.lists_version()),
        build,
        valid_until=queries.next_due,
        query_keys=frozenset({"page"}),
        seconds=LIST_SECONDS,
    )


def topic(request: HttpRequest, slug: str) -> HttpResponse:
    topic = queries.topic_for_reader(slug)
    stories = queries.with_bylines(queries.listed_stories().filter(topics=topic))
    return render(
        request,
        "stories/listing.html",
        {
            "title": topic.name,
            "kind": "Topic",
            "canonical_path": topic.get_absolute_url(),
            "page_obj": _page(request, stories),
            "empty": _("No stories on this topic yet."),
        },
    )


def author(request: HttpRequest, pk: int) -> HttpResponse:
    person = queries.author_for_reader(pk)
    stories = queries.with_bylines(queries.listed_stories().filter(authors=person))
    return render(
        request,
        "stories/listing.html",
        {
            "title": person.public_name,
            "kind": "Author",
            "intro": person.bio,
            "canonical_path": f"/author/{person.pk}/",
            "page_obj": _page(request, stories),
            "empty": "",
        },
    )


def search(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:200]
    results = queries.search_stories(query) if query.strip() else []
    return render(
        request,
        "stories/search.html",
        {"query": query, "searched": bool(query.strip()), "page_obj": _page(request, results)},
    )


def story(request: HttpRequest, slug: str) -> HttpResponse:
    if not pagecache.is_visitor(request):
        return pagecache.private(_story_at(request, slug, None))
    versions = queries.story_versions(slug)
    if versions is not None and versions.listed and not versions.is_premium:
        # The usual case: a visitor's page straight from the shared cache, if it is there.
        return pagecache.shared(
            request,
            ("story", versions.pk, versions.updated_at, versions.comment_version),
            lambda: _story_at(request, slug, versions),
            query_keys=STORY_QUERY_KEYS,
            valid_until=lambda: _comments_close(slug),
        )
    return _story_at(request, slug, versions)


def _story_at(request: HttpRequest, slug: str, versions: queries.Versions | None) -> HttpResponse:
    """The story page built from the database: also old slugs, embedded stories' 404s."""
    # The live stream resumes from this moment: read it before the story and its
    # comments, so an event between the two is replayed, not missed (replays of what
    # the page already shows are ignored by live.js).
    since = live_head() if pagecache.is_visitor(request) else None
    try:
        story, moved = queries.story_by_any_slug(slug, bylines=False)
    except Http404:
        elsewhere = queries.external_page(slug)
        if elsewhere is None:
            raise
        return HttpResponseRedirect(elsewhere)
    if moved:
        return HttpResponsePermanentRedirect(story.get_absolute_url())
    page = _story_page(request, queries.add_bylines(story), live_since=since)
    if story.is_premium or versions is None or not versions.listed:
        # Metered per reader (a visitor's allowance is in their session): never shared.
        return pagecache.private(page)
    return page


def _comments_close(slug: str) -> datetime | None:
    story = queries.story_for_reader(slug, bylines=False)
    closes = rules.comments_close_at(story)
    return closes if closes is not None and closes > timezone.now() else None


def _story_page(
    request: HttpRequest, story: Story, *, live_since: str | None = None
) -> HttpResponse:
    return render(
        request,
        "stories/story.html",
        {
            "story": story,
            "meta": story_meta(story),
            "comments_closed": rules.comments_are_closed(story),
            "access": story_access(request, story),
            "stream": stream_context(request, story, live_since=live_since),
            **_shared(request),
        },
    )


def media_file(request: HttpRequest, path: str) -> HttpResponseBase:
    """An uploaded image from local disk (when media are not in object storage).

    Names never repeat (a replaced image gets a new one), so browsers may keep them for a
    year. Behind nginx, serve MEDIA_ROOT at MEDIA_URL there instead.
    """
    response = static_serve(request, path, document_root=str(settings.MEDIA_ROOT))
    response["Cache-Control"] = "public, max-age=31536000, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    return response
