"""/api/stories: the list, one story (premium text only for entitled readers), search."""

from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from broadsheet.stories.models import Section, Story
from broadsheet.subscriptions.models import Plan


def test_list_is_paginated_newest_first_and_published_only(client: Client, make_story: Any) -> None:
    for n in range(23):
        make_story(f"Story {n:02}", published_at=timezone.now() - timedelta(minutes=n + 1))
    make_story("Draft", status=Story.Status.DRAFT)
    first = client.get("/api/stories/").json()
    assert first["count"] == 23
    assert [s["headline"] for s in first["items"][:2]] == ["Story 00", "Story 01"]
    assert len(first["items"]) == 20
    second = client.get("/api/stories/", {"page": 2}).json()
    assert [s["headline"] for s in second["items"]] == ["Story 20", "Story 21", "Story 22"]
    item = first["items"][0]
    assert item["url"] == "/story/story-00/"
    assert item["section"] == {"name": "World", "slug": "world", "url": "/section/world/"}
    assert "body_html" not in item


def test_list_by_section(client: Client, make_story: Any) -> None:
    science = Section.objects.create(name="Science", slug="science")
    make_story("Mussels return", section=science)
    make_story("Harbour reopens")
    body = client.get("/api/stories/", {"section": "science"}).json()
    assert [s["headline"] for s in body["items"]] == ["Mussels return"]
    missing = client.get("/api/stories/", {"section": "nope"})
    assert missing.status_code == 404


def test_one_story_by_slug(client: Client, make_story: Any, editor: Any) -> None:
    story = make_story("Harbour reopens", byline="Port desk", body="Ships *queued*.")
    story.authors.add(editor)
    body = client.get("/api/stories/harbour-reopens").json()
    assert body["headline"] == "Harbour reopens"
    assert body["byline"] == "Ines Duarte"
    assert body["authors"] == [{"name": "Ines Duarte", "url": f"/author/{editor.pk}/"}]
    assert body["body_html"] == "<p>Ships <em>queued</em>.</p>\n"
    assert body["full_text"] is True
    assert body["comments_closed"] is False


def test_drafts_and_unknown_slugs_are_404(client: Client, make_story: Any) -> None:
    make_story("Secret draft", status=Story.Status.DRAFT)
    assert client.get("/api/stories/secret-draft").status_code == 404
    assert client.get("/api/stories/no-such-story").status_code == 404


def test_premium_text_only_for_entitled_readers(client: Client, demo: dict[str, Any]) -> None:
    slug = "harbour-warehouses-become-housing"
    # No monthly allowance of subscriber stories, so the visitor meets the paywall at once.
    Plan.objects.filter(is_free=True).update(monthly_free_premium=0)
    anonymous = client.get(f"/api/stories/{slug}").json()
    assert anonymous["is_premium"] is True
    assert anonymous["full_text"] is False
    assert anonymous["access_reason"] == "premium"
    assert anonymous["body_html"] is None

    client.force_login(demo["users"]["member@example.com"])
    member = client.get(f"/api/stories/{slug}").json()
    assert member["full_text"] is True
    assert "pension fund" in member["body_html"]


def test_search(client: Client, make_story: Any) -> None:
    make_story("Native mussels return to the lake")
    make_story("Council approves night buses")
    body = client.get("/api/stories/search", {"q": "mussels"}).json()
    assert [s["headline"] for s in body["items"]] == ["Native mussels return to the lake"]
    refused = client.get("/api/stories/search", {"q": ""})
    assert refused.status_code == 422
    assert refused.json()["code"] == "invalid"
