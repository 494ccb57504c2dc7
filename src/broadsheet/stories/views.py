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
from django.utils.translation import gettext as _
from django.views.static import serve as static_serve

from broadsheet.comments.stream import stream_context
from broadsheet.stories import conf, queries, rules
from broadsheet.stories.seo import story_meta
from broadsheet.subscriptions.paywall import story_access

PAGE_SIZE = 20


def render(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return django_render(request, template, {"SITE_URL": conf.site_url(), **context})


def _page(request: HttpRequest, items: Any) -> Page[Any]:
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


def home(request: HttpRequest) -> HttpResponse:
    top, sections = queries.front_page()
    return render(
        request,
        "stories/home.html",
        {"lead": top[:1], "top": top[1:], "sections": sections},
    )


def section(request: HttpRequest, slug: str) -> HttpResponse:
    section = queries.section_for_reader(slug)
    stories = queries.with_bylines(queries.listed_stories().filter(section=section))
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
        },
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
    try:
        story, moved = queries.story_by_any_slug(slug)
    except Http404:
        elsewhere = queries.external_page(slug)
        if elsewhere is None:
            raise
        return HttpResponseRedirect(elsewhere)
    if moved:
        return HttpResponsePermanentRedirect(story.get_absolute_url())
    return render(
        request,
        "stories/story.html",
        {
            "story": story,
            "meta": story_meta(story),
            "comments_closed": rules.comments_are_closed(story),
            "access": story_access(request, story),
            "stream": stream_context(request, story),
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
