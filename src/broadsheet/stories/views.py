from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from broadsheet.comments.stream import stream_context
from broadsheet.stories import queries
from broadsheet.subscriptions.paywall import story_access


def home(request: HttpRequest) -> HttpResponse:
    stories = list(queries.published_stories()[:13])
    return render(request, "stories/home.html", {"lead": stories[:1], "stories": stories[1:]})


def section(request: HttpRequest, slug: str) -> HttpResponse:
    section = queries.section_for_reader(slug)
    stories = queries.published_stories().filter(section=section)[:30]
    return render(request, "stories/section.html", {"section": section, "stories": stories})


def story(request: HttpRequest, slug: str) -> HttpResponse:
    story = queries.story_for_reader(slug)
    return render(
        request,
        "stories/story.html",
        {
            "story": story,
            "access": story_access(request, story),
            "stream": stream_context(request, story),
        },
    )
