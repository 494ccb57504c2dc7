"""RSS and Atom feeds, sitemap.xml: only published stories, premium text kept back."""

# ruff: noqa: S314  (the XML parsed here is our own server's response)

import xml.etree.ElementTree as ET
from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from broadsheet.stories import services
from broadsheet.stories.models import Section, Story

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def test_site_rss_lists_published_stories_newest_first(client: Client, make_story: Any) -> None:
    make_story("Older story", published_at=timezone.now() - timedelta(days=2))
    make_story("Newer story", dek="The newer summary.")
    make_story("Draft story", status=Story.Status.DRAFT)
    response = client.get("/feeds/latest/")
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    assert channel is not None
    titles = [item.findtext("title") for item in channel.findall("item")]
    assert titles == ["Newer story", "Older story"]
    first = channel.findall("item")[0]
    assert first.findtext("link") == "http://127.0.0.1:8000/story/newer-story/"
    assert first.findtext("description") == "The newer summary."


def test_premium_text_stays_out_of_the_feed(client: Client, make_story: Any) -> None:
    make_story("Members story", is_premium=True, dek="Open summary.", body="Paid paragraph.")
    body = client.get("/feeds/latest/").content.decode()
    assert "Open summary." in body
    assert "Paid paragraph." not in body


def test_section_atom_feed_has_only_that_section(client: Client, make_story: Any) -> None:
    science = Section.objects.create(name="Science", slug="science")
    make_story("Mussels return", section=science)
    make_story("Harbour reopens")
    response = client.get("/feeds/section/science/atom/")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    assert feed.findtext(f"{ATOM}title") == "Broadsheet: Science"
    assert [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")] == ["Mussels return"]
    rss = client.get("/feeds/section/science/").content.decode()
    assert "Mussels return" in rss
    assert "Harbour reopens" not in rss
    assert client.get("/feeds/section/nope/").status_code == 404


def test_feed_ids_survive_a_headline_change(client: Client, make_story: Any, editor: Any) -> None:
    story = make_story("First headline")
    guid = ET.fromstring(client.get("/feeds/latest/").content).findtext("channel/item/guid")
    story.headline = "Second headline"
    services.save_story(story, by=editor)
    root = ET.fromstring(client.get("/feeds/latest/").content)
    assert root.findtext("channel/item/guid") == guid
    assert root.findtext("channel/item/link") == "http://127.0.0.1:8000/story/second-headline/"


def test_footer_links_the_site_feed(client: Client, make_story: Any) -> None:
    make_story()
    assert 'href="/feeds/latest/"' in client.get("/").content.decode()
    assert client.get("/feeds/latest/").status_code == 200


def test_sitemap_lists_published_stories_and_sections(client: Client, make_story: Any) -> None:
    live = make_story("Live story")
    make_story("Hidden draft", status=Story.Status.DRAFT)
    make_story(
        "Not yet", status=Story.Status.SCHEDULED, published_at=timezone.now() + timedelta(days=1)
    )
    index = client.get("/sitemap.xml")
    assert index.status_code == 200
    parts = [loc.text or "" for loc in ET.fromstring(index.content).iter(f"{SITEMAP}loc")]
    assert "http://127.0.0.1:8000/sitemap-stories.xml" in parts
    urls = []
    for part in parts:
        response = client.get(part.removeprefix("http://127.0.0.1:8000"))
        assert response.status_code == 200
        urls += [loc.text for loc in ET.fromstring(response.content).iter(f"{SITEMAP}loc")]
    assert f"http://127.0.0.1:8000{live.get_absolute_url()}" in urls
    assert "http://127.0.0.1:8000/section/world/" in urls
    assert not any("hidden-draft" in url or "not-yet" in url for url in urls if url)
