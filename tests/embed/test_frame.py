"""The frame: only the site's origins may frame it; its pages, counts and scripts."""

from typing import Any

import pytest
from django.test import Client

from broadsheet.comments.models import Comment
from broadsheet.comments.services import post_comment
from broadsheet.embed import services
from broadsheet.embed.models import Site, StoryLink
from broadsheet.stories.models import Story

pytestmark = pytest.mark.django_db

PAGE = {"id": "article-1", "url": "https://news.example.com/a/1", "title": "Harbour reopens"}


def open_frame(site: Site, **changes: str) -> Any:
    return Client().get("/embed/frame/", {"site": site.key, **PAGE, **changes})


def test_only_the_sites_origins_may_frame_the_stream(site: Site) -> None:
    Site.objects.filter(pk=site.pk).update(
        allowed_origins="https://news.example.com\nhttp://127.0.0.1:8080"
    )
    site.refresh_from_db()
    response = open_frame(site)
    assert response.status_code == 200
    assert "X-Frame-Options" not in response
    policy = response["Content-Security-Policy"]
    assert "frame-ancestors https://news.example.com http://127.0.0.1:8080;" in policy + ";"
    assert "script-src 'self' 'nonce-" in policy


def test_every_other_page_still_refuses_framing(site: Site) -> None:
    for url in ["/", "/accounts/sign-in/", "/embed/frame/?site=nope&id=x"]:
        response = Client().get(url)
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"], url
    assert Client().get("/")["X-Frame-Options"] == "DENY"


def test_the_first_view_creates_the_story_once(site: Site) -> None:
    open_frame(site)
    open_frame(site, title="Another title")
    link = StoryLink.objects.get(site=site, external_id="article-1")
    assert link.story.headline == "Harbour reopens"
    assert link.story.external_url == "https://news.example.com/a/1"
    assert Story.objects.filter(external_url__startswith="https://news.example.com").count() == 1


def test_a_page_on_another_origin_gets_no_story(site: Site) -> None:
    response = open_frame(site, url="https://evil.example.net/a/1")
    assert response.status_code == 400
    assert "on an origin registered for the site" in response.content.decode()
    assert not StoryLink.objects.exists()


def test_embedded_stories_stay_off_our_own_listings_and_lead_to_the_newsroom(site: Site) -> None:
    story = services.page_story(site, external_id="a1", url=PAGE["url"], title="Z9")
    address = story.get_absolute_url()
    assert address not in Client().get("/").content.decode()
    assert address not in Client().get("/search/", {"q": "Z9"}).content.decode()
    assert address not in Client().get("/feeds/latest/").content.decode()
    assert address not in Client().get("/sitemap.xml").content.decode()
    response = Client().get(story.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == PAGE["url"]


def test_the_frame_shows_the_story_pages_stream(site: Site, demo: dict[str, Any]) -> None:
    story = services.page_story(site, "article-1", url=PAGE["url"], title="Harbour")
    member = demo["users"]["member@example.com"]
    post_comment(member, story, "Seen from the harbour wall.")
    html = open_frame(site).content.decode()
    assert 'id="comment-stream"' in html
    assert "Seen from the harbour wall." in html
    assert "/static/django_htmx/htmx-2.min.js" in html
    assert "/static/core/site.js" in html
    # The story page's live updates: the same script, on the same stream element.
    assert "/static/comments/live.js" in html
    assert f'data-live="/live/stories/{story.pk}/"' in html


def test_comment_counts_for_the_front_page(site: Site, demo: dict[str, Any]) -> None:
    story = services.page_story(site, "article-1", url=PAGE["url"], title="Harbour")
    member = demo["users"]["member@example.com"]
    post_comment(member, story, "One.")
    client = Client()
    url = "/embed/counts/?site=example&id=article-1&id=article-2"
    response = client.get(url, headers={"Origin": "https://news.example.com"})
    assert response.json() == {"counts": {"article-1": 1, "article-2": 0}}
    assert response["Access-Control-Allow-Origin"] == "https://news.example.com"
    assert "max-age=60" in response["Cache-Control"]
    # Served from the cache until it expires.
    post_comment(member, story, "Two.", token="second")
    assert client.get(url).json()["counts"]["article-1"] == 1
    assert Comment.objects.filter(story=story).count() == 2
    other = client.get(url, headers={"Origin": "https://evil.example.net"})
    assert "Access-Control-Allow-Origin" not in other


def test_counts_refuse_unknown_sites_and_long_lists(site: Site) -> None:
    response = Client().get("/embed/counts/", {"site": "nope", "id": "a"})
    assert response.status_code == 404
    assert response.json()["code"] == "unknown_site"
    many = Client().get("/embed/counts/", {"site": site.key, "id": [str(n) for n in range(101)]})
    assert many.status_code == 400
    assert many.json()["code"] == "too_many"


def test_the_scripts_are_served_for_other_sites(db: Any) -> None:
    for url in ["/embed.js", "/embed/counts.js"]:
        response = Client().get(url)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/javascript")
        assert response["Cross-Origin-Resource-Policy"] == "cross-origin"
