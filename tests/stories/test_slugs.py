"""Story addresses: stable, unique, and old addresses keep working after a headline changes."""

from typing import Any

from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st

from broadsheet.stories import services
from broadsheet.stories.models import StorySlug


def test_slug_comes_from_the_headline(make_story: Any) -> None:
    story = make_story("Council approves night buses!")
    assert story.slug == "council-approves-night-buses"
    assert story.get_absolute_url() == "/story/council-approves-night-buses/"


def test_a_duplicate_headline_gets_a_new_slug(client: Client, make_story: Any) -> None:
    first = make_story("Storm closes the harbour", body="First storm.")
    second = make_story("Storm closes the harbour", body="Second storm.")
    third = make_story("Storm closes the harbour", body="Third storm.")
    assert [first.slug, second.slug, third.slug] == [
        "storm-closes-the-harbour",
        "storm-closes-the-harbour-2",
        "storm-closes-the-harbour-3",
    ]
    assert "First storm." in client.get(first.get_absolute_url()).content.decode()
    assert "Second storm." in client.get(second.get_absolute_url()).content.decode()


def test_an_edited_headline_keeps_the_old_url_working(
    client: Client, make_story: Any, editor: Any
) -> None:
    story = make_story("Minister resigns")
    old_url = story.get_absolute_url()
    story.headline = "Minister resigns over school repairs"
    services.save_story(story, by=editor)
    assert story.get_absolute_url() == "/story/minister-resigns-over-school-repairs/"

    response = client.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == story.get_absolute_url()
    assert client.get(story.get_absolute_url()).status_code == 200


def test_an_old_slug_is_never_given_to_another_story(make_story: Any, editor: Any) -> None:
    story = make_story("Minister resigns")
    story.headline = "Minister resigns over repairs"
    services.save_story(story, by=editor)
    other = make_story("Minister resigns")
    assert other.slug == "minister-resigns-2"


def test_changing_the_headline_back_restores_the_first_slug(
    client: Client, make_story: Any, editor: Any
) -> None:
    story = make_story("Bridge closes")
    story.headline = "Bridge closes for a month"
    services.save_story(story, by=editor)
    story.headline = "Bridge closes"
    services.save_story(story, by=editor)
    assert story.slug == "bridge-closes"
    assert client.get("/story/bridge-closes/").status_code == 200
    assert client.get("/story/bridge-closes-for-a-month/")["Location"] == "/story/bridge-closes/"
    assert list(StorySlug.objects.values_list("slug", flat=True)) == ["bridge-closes-for-a-month"]


def test_an_old_url_of_an_unpublished_story_is_404(
    client: Client, make_story: Any, editor: Any
) -> None:
    story = make_story("Pulled story")
    story.headline = "Pulled story, renamed"
    services.save_story(story, by=editor)
    services.unpublish(story, by=editor)
    assert client.get("/story/pulled-story/").status_code == 404


@settings(deadline=None)
@given(st.text(max_size=300))
def test_any_headline_gives_a_short_url_safe_slug(headline: str) -> None:
    slug = services.slug_base(headline)
    assert slug
    assert len(slug) <= services.SLUG_MAX
    assert all(c.isalnum() or c in "-_" for c in slug)
