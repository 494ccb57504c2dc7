"""Search across published stories, on SQLite (FTS5) and PostgreSQL (full-text search)."""

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from broadsheet.stories import services
from broadsheet.stories.models import Story
from broadsheet.stories.queries import search_stories


@pytest.fixture
def newsroom(make_story: Any) -> dict[str, Story]:
    return {
        "mussels": make_story(
            "Native mussels return to the lake",
            dek="Divers counted ten times as many.",
            body="The water board credits cleaner water.",
        ),
        "buses": make_story(
            "Council approves night buses",
            body="Six routes will run until 4 a.m. The lake shore route is one.",
        ),
        "draft": make_story(
            "Mussels draft nobody may read", status=Story.Status.DRAFT, body="Mussels."
        ),
        "scheduled": make_story(
            "Mussels embargoed",
            status=Story.Status.SCHEDULED,
            published_at=timezone.now() + timedelta(hours=3),
        ),
    }


def test_search_finds_published_stories_only(client: Client, newsroom: dict[str, Story]) -> None:
    results = search_stories("mussels")
    assert [story.headline for story in results] == ["Native mussels return to the lake"]
    page = client.get("/search/", {"q": "mussels"}).content.decode()
    assert "Native mussels return to the lake" in page
    assert "draft nobody may read" not in page
    assert "embargoed" not in page


def test_headline_matches_rank_above_body_matches(newsroom: dict[str, Story]) -> None:
    results = search_stories("lake")
    assert [story.pk for story in results] == [newsroom["mussels"].pk, newsroom["buses"].pk]


def test_search_follows_edits_to_a_story(newsroom: dict[str, Story], editor: Any) -> None:
    story = newsroom["buses"]
    story.body = "Trams instead."
    story.headline = "Council approves night trams"
    services.save_story(story, by=editor)
    assert search_stories("buses") == []
    assert search_stories("trams") == [story]


def test_every_word_must_match_and_operators_are_plain_words(
    newsroom: dict[str, Story], client: Client
) -> None:
    assert search_stories("mussels council") == []
    # Characters that mean something to the search engines are harmless input.
    for query in ['"', "NEAR(", "mussels OR", "*", "-", "lake & | !", "a:b", "()"]:
        assert client.get("/search/", {"q": query}).status_code == 200


def test_an_empty_search_shows_the_form(client: Client, newsroom: dict[str, Story]) -> None:
    page = client.get("/search/").content.decode()
    assert 'role="search"' in page
    assert search_stories("   ") == []


@pytest.mark.postgres
def test_postgres_search_stems_words_and_reads_web_search_syntax(
    newsroom: dict[str, Story],
) -> None:
    # "approving" and "approves" share a stem; a quoted phrase and a minus sign work as on the web.
    assert search_stories("approving") == [newsroom["buses"]]
    assert search_stories('"night buses"') == [newsroom["buses"]]
    assert search_stories("lake -mussels") == [newsroom["buses"]]


def test_search_ignores_case_and_word_endings(newsroom: dict[str, Story]) -> None:
    assert search_stories("MUSSEL") == [newsroom["mussels"]]
    assert search_stories("returning") == [newsroom["mussels"]]


def test_search_index_is_repaired_after_a_table_rebuild(make_story: Any, on_postgres: bool) -> None:
    from django.db import connection

    from broadsheet.stories.fts import ensure_sqlite_search_index

    if on_postgres:
        # PostgreSQL searches the table itself: there is nothing to repair.
        assert ensure_sqlite_search_index(connection) is False
        return
    with connection.cursor() as cursor:
        # What SQLite does to triggers when a migration rebuilds the table.
        for trigger in ["insert", "update", "delete"]:
            cursor.execute(f"DROP TRIGGER stories_story_fts_{trigger}")
    story = make_story("Lighthouse keeper retires")
    assert search_stories("lighthouse") == []

    assert ensure_sqlite_search_index(connection) is True

    assert search_stories("lighthouse") == [story]
    assert ensure_sqlite_search_index(connection) is False
