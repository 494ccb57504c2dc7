"""What a page costs in queries once its thread is cached: a fixed, small number."""

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from broadsheet.accounts.models import User
from broadsheet.comments import services
from broadsheet.stories.models import Story

pytestmark = pytest.mark.django_db


def warm_sql(client: Client, url: str) -> list[str]:
    """The queries of the second request (the first fills the caches)."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return [query["sql"] for query in captured.captured_queries]


@pytest.fixture
def busy_story(story: Story, users: dict[str, User]) -> Story:
    """The story with comments, one recommended by the member and one of theirs in review."""
    theirs = services.post_comment(users["editor"], story, "Worth recommending")
    services.post_comment(users["member"], story, "Mine")
    services.toggle_recommend(users["member"], theirs.pk)
    story.refresh_from_db()
    return story


def test_a_visitors_story_page_costs_one_query(
    client_for: Callable[[str], Client], busy_story: Story
) -> None:
    # The story's row, for the versions its cached page is kept under.
    assert len(warm_sql(client_for("visitor"), busy_story.get_absolute_url())) <= 1


@pytest.mark.parametrize("who", ["member", "moderator", "free", "noname"])
def test_a_signed_in_story_page_costs_at_most_four_queries_and_no_permission_query(
    client_for: Callable[[str], Client], busy_story: Story, who: str
) -> None:
    sql = warm_sql(client_for(who), busy_story.get_absolute_url() + "?sort=newest")
    # The story; the reader with their subscription, sanctions and role; their own actions.
    # (The session comes from the shared store.) A reader without a subscription costs
    # the gate's look-ups for the free plan on top.
    assert len(sql) <= (4 if who in ("member", "moderator", "noname") else 7), sql
    assert not [q for q in sql if "auth_permission" in q or "django_session" in q]


def test_the_signed_in_page_still_shows_the_readers_own_state(
    client_for: Callable[[str], Client], busy_story: Story
) -> None:
    html = client_for("member").get(busy_story.get_absolute_url() + "?sort=newest")
    text = html.content.decode()
    assert 'aria-pressed="true">Recommended<' in text
    assert "Sign out" in text
    assert "Moderation" not in text
    assert "Moderation" in client_for("moderator").get("/").content.decode()


@pytest.mark.parametrize("who", ["visitor", "member"])
def test_the_front_page_reads_no_story_bodies_and_few_queries(
    client_for: Callable[[str], Client], busy_story: Story, who: str
) -> None:
    sql = warm_sql(client_for(who), "/")
    assert len(sql) <= (1 if who == "visitor" else 3), sql
    assert not [q for q in sql if '"stories_story"."body' in q]


@pytest.mark.parametrize("who", ["visitor", "member"])
def test_the_api_thread_page_costs_one_query_for_a_visitor_and_three_signed_in(
    client_for: Callable[[str], Client], busy_story: Story, who: str
) -> None:
    url = f"/api/comments/stories/{busy_story.slug}/thread"
    assert len(warm_sql(client_for(who), url)) <= (1 if who == "visitor" else 3)
