"""Visitors' pages come whole from the shared cache; signed-in readers' pages are their own."""

import re
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from broadsheet.accounts.models import User
from broadsheet.comments import services as comments
from broadsheet.live.log import event_log
from broadsheet.stories import services
from broadsheet.stories.models import Story

pytestmark = pytest.mark.django_db

STORY = "city-council-approves-night-bus-network"
PAGES = [f"/story/{STORY}/", "/", "/section/politics/"]


@pytest.fixture
def story(demo: dict[str, Any]) -> Story:
    return Story.objects.get(slug=STORY)


@pytest.fixture
def signed_in(demo: dict[str, Any]) -> Callable[[str], Client]:
    def make(email: str) -> Client:
        client = Client()
        client.force_login(User.objects.get(email=email))
        return client

    return make


def nonce_of(html: str) -> str:
    found = re.search(r'<script src="[^"]+" defer nonce="([^"]+)"', html)
    assert found, "no script with a nonce"
    return found.group(1)


@pytest.mark.parametrize("url", PAGES)
def test_every_visitor_gets_the_same_bytes_which_a_proxy_may_keep(story: Story, url: str) -> None:
    first, second = Client().get(url), Client().get(url)
    assert first.status_code == second.status_code == 200
    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert first.content == second.content
    assert first["ETag"] == second["ETag"]
    control = second["Cache-Control"]
    assert "public" in control
    assert "max-age=" in control
    assert "stale-while-revalidate=" in control
    assert "Cookie" in second["Vary"]
    # Nothing of one visitor in it: no cookie set, no CSRF token to copy.
    assert not second.cookies
    assert not first.cookies
    html = second.content.decode()
    assert "csrfmiddlewaretoken" not in html
    assert "X-CSRFToken" not in html
    assert "Sign in" in html
    assert "Sign out" not in html
    # Its scripts still run: the policy names the nonce the stored page carries.
    assert f"'nonce-{nonce_of(html)}'" in second["Content-Security-Policy"]


@pytest.mark.parametrize("url", PAGES)
def test_a_visitor_who_has_the_page_gets_304(story: Story, url: str) -> None:
    etag = Client().get(url)["ETag"]
    again = Client().get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert "public" in again["Cache-Control"]
    assert Client().get(url, headers={"If-None-Match": '"other"'}).status_code == 200


def test_a_new_comment_changes_the_page_and_its_etag(story: Story, demo: dict[str, Any]) -> None:
    url = story.get_absolute_url() + "?sort=newest"
    before = Client().get(url)
    comments.post_comment(User.objects.get(email="member@example.com"), story, "Buses at last")
    after = Client().get(url, headers={"If-None-Match": before["ETag"]})
    assert after.status_code == 200
    assert "Buses at last" in after.content.decode()
    assert after["ETag"] != before["ETag"]


def test_an_edited_story_is_shown_at_once(story: Story, demo: dict[str, Any]) -> None:
    Client().get(story.get_absolute_url())
    Client().get("/")
    story.headline = "Night buses approved unanimously"
    services.save_story(story)
    assert "approved unanimously" in Client().get(story.get_absolute_url()).content.decode()
    assert "approved unanimously" in Client().get("/").content.decode()


def test_a_scheduled_story_reaches_the_front_page_when_due(
    story: Story, demo: dict[str, Any]
) -> None:
    soon = Story.objects.exclude(pk=story.pk).filter(status=Story.Status.PUBLISHED).first()
    assert soon is not None
    soon.status = Story.Status.SCHEDULED
    soon.published_at = timezone.now() + timedelta(seconds=1.5)
    soon.headline = "Tomorrow's tram timetable"
    services.save_story(soon)
    assert "tram timetable" not in Client().get("/").content.decode()
    # Its time comes without any write: the cached front page knew when to give way.
    time.sleep(1.6)
    assert "tram timetable" in Client().get("/").content.decode()


@pytest.mark.parametrize("url", PAGES)
def test_signed_in_readers_get_their_own_page_never_stored(
    story: Story, signed_in: Callable[[str], Client], url: str
) -> None:
    Client().get(url)  # a visitor fills the cache first
    member = signed_in("member@example.com")
    response = member.get(url)
    html = response.content.decode()
    assert "Sign out" in html
    assert "X-CSRFToken" in html
    assert "private" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]
    assert "X-Page-Cache" not in response
    # ...and a visitor afterwards still gets the visitors' page.
    assert "Sign out" not in Client().get(url).content.decode()


def test_a_visitor_with_a_message_waiting_gets_it_not_the_shared_page(story: Story) -> None:
    client = Client()
    Client().get("/")
    from django.contrib.messages.storage.cookie import CookieStorage
    from django.http import HttpRequest, HttpResponse

    request = HttpRequest()
    storage = CookieStorage(request)
    storage.add(20, "You have signed out.")
    response = HttpResponse()
    storage.update(response)
    client.cookies["messages"] = response.cookies["messages"].value
    page = client.get("/")
    assert "You have signed out." in page.content.decode()
    assert "private" in page["Cache-Control"]


def test_a_premium_story_is_metered_per_visitor_so_never_shared(
    story: Story, demo: dict[str, Any]
) -> None:
    premium = Story.objects.filter(is_premium=True, status=Story.Status.PUBLISHED).first()
    assert premium is not None
    response = Client().get(premium.get_absolute_url())
    assert response.status_code == 200
    assert "X-Page-Cache" not in response
    assert "private" in response["Cache-Control"]


def test_unknown_query_parameters_are_served_but_not_stored(story: Story) -> None:
    response = Client().get("/?utm_source=newsletter")
    assert response.status_code == 200
    assert "X-Page-Cache" not in response


def test_the_cached_pages_live_stream_resumes_from_before_its_render(story: Story) -> None:
    """An event written after the page was cached is replayed when the page connects."""
    html = Client().get(story.get_absolute_url()).content.decode()
    since = re.search(r'data-live-since="([^"]*)"', html)
    assert since
    assert since.group(1)
    channel = f"story:{story.pk}"
    event_log().append(channel, "recommend", {"id": 1, "count": 1})
    again = Client().get(story.get_absolute_url())
    assert again["X-Page-Cache"] == "hit"
    resumed = re.search(r'data-live-since="([^"]*)"', again.content.decode())
    assert resumed
    assert resumed.group(1) == since.group(1)
    names = [event.name for event in event_log().since([channel], resumed.group(1))]
    assert "recommend" in names
