"""The reading pages: home, section, topic, author, story; what a reader and a crawler see."""

import json
import re
from datetime import timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from broadsheet.stories.models import Section, Story, Topic


def test_home_shows_top_stories_and_latest_per_section(client: Client, make_story: Any) -> None:
    culture = Section.objects.create(name="Culture", slug="culture", display_order=5)
    for n in range(7):
        make_story(f"World story number {n}", published_at=timezone.now() - timedelta(hours=n + 1))
    make_story(
        "Bakery wins rye prize", section=culture, published_at=timezone.now() - timedelta(days=3)
    )
    html = client.get("/").content.decode()
    # The newest story leads the page; older ones fill the section blocks.
    assert html.index("World story number 0") < html.index("World story number 6")
    assert 'id="desk-culture"' in html
    assert "Bakery wins rye prize" in html


def test_story_page_shows_the_reading_essentials(
    client: Client, make_story: Any, editor: Any
) -> None:
    story = make_story(
        "Harbour reopens after storm",
        dek="Ships were stuck for a week.",
        dateline="LISBON",
        comment_count=0,
    )
    story.authors.add(editor)
    topic = Topic.objects.create(name="Shipping", slug="shipping")
    story.topics.add(topic)
    response = client.get(story.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert '<h1 class="story__headline">Harbour reopens after storm</h1>' in html
    assert "Ships were stuck for a week." in html
    assert f'href="/author/{editor.pk}/" rel="author">Ines Duarte</a>' in html
    assert "LISBON —" in html
    assert 'href="#comments"' in html
    assert '<section id="comments"' in html
    assert 'href="/topic/shipping/"' in html
    assert f'<link rel="canonical" href="http://127.0.0.1:8000{story.get_absolute_url()}">' in html
    assert '<meta property="og:title" content="Harbour reopens after storm">' in html


def test_story_page_carries_news_article_json_ld_allowed_by_the_csp(
    client: Client, make_story: Any
) -> None:
    story = make_story("Tariffs </script><b>rise</b>", dek="A & B", byline="Business desk")
    response = client.get(story.get_absolute_url())
    html = response.content.decode()
    match = re.search(
        r'<script type="application/ld\+json" nonce="([^"]+)">(.*?)</script>', html, re.S
    )
    assert match, "no JSON-LD script"
    nonce, payload = match.groups()
    assert f"'nonce-{nonce}'" in response.headers["Content-Security-Policy"]
    assert "</script>" not in payload  # the headline cannot close the script element
    data = json.loads(payload)
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Tariffs </script><b>rise</b>"
    assert data["author"] == [{"@type": "Organization", "name": "Business desk"}]
    assert data["isAccessibleForFree"] is True


def test_revised_story_shows_its_update_time(client: Client, make_story: Any, editor: Any) -> None:
    from broadsheet.stories import services

    story = make_story("Harbour reopens")
    assert "Updated" not in client.get(story.get_absolute_url()).content.decode()
    story.body += "\n\nA correction was added."
    services.save_story(story, by=editor)
    assert "Updated <time" in client.get(story.get_absolute_url()).content.decode()


def test_unknown_story_section_topic_and_author_are_404(client: Client, make_story: Any) -> None:
    make_story("Something published")
    for url in ["/story/no-such-story/", "/section/nope/", "/topic/nope/", "/author/999999/"]:
        assert client.get(url).status_code == 404, url


def test_author_page_lists_their_stories_and_is_404_for_readers(
    client: Client, make_story: Any, editor: Any, django_user_model: Any
) -> None:
    story = make_story("Written by the desk")
    story.authors.add(editor)
    page = client.get(f"/author/{editor.pk}/").content.decode()
    assert "Ines Duarte" in page
    assert "Written by the desk" in page
    reader = django_user_model.objects.create_user("reader@example.com", "pw", display_name="Pat")
    assert client.get(f"/author/{reader.pk}/").status_code == 404


def test_section_and_topic_pages_list_only_their_stories(client: Client, make_story: Any) -> None:
    other = Section.objects.create(name="Science", slug="science")
    topic = Topic.objects.create(name="Ports", slug="ports")
    mine = make_story("Harbour dredging starts")
    mine.topics.add(topic)
    make_story("Mussels return to the lake", section=other)
    section_page = client.get("/section/world/").content.decode()
    assert "Harbour dredging starts" in section_page
    assert "Mussels return" not in section_page
    assert 'href="/feeds/section/world/"' in section_page
    topic_page = client.get("/topic/ports/").content.decode()
    assert "Harbour dredging starts" in topic_page
    assert "Mussels return" not in topic_page


def test_premium_story_shows_only_its_first_paragraph_to_anonymous_readers(
    client: Client, make_story: Any
) -> None:
    story = make_story(
        "Members only", is_premium=True, dek="The summary.", body="Open lede.\n\nSecret text."
    )
    html = client.get(story.get_absolute_url()).content.decode()
    assert "Secret text." not in html
    assert "<p>Open lede.</p>" in html
    assert "The summary." in html
    assert "Secret text." in Story.objects.get(pk=story.pk).body_html


def test_a_top_story_leads_the_front_page(client: Client, make_story: Any) -> None:
    make_story(
        "Older but important", is_top_story=True, published_at=timezone.now() - timedelta(days=1)
    )
    make_story("Newest news")
    html = client.get("/").content.decode()
    lead = html.index('class="front__lead"')
    assert lead < html.index("Older but important") < html.index("Newest news")


def test_the_front_page_needs_few_queries(
    client: Client, make_story: Any, editor: Any, django_assert_max_num_queries: Any
) -> None:
    world = Section.objects.get(slug="world")
    culture = Section.objects.create(name="Culture", slug="culture")
    for n in range(12):
        story = make_story(f"Story {n}", section=culture if n % 2 else world)
        story.authors.add(editor)
    client.get("/")  # warm the cached section list
    # Sessions, the section list and then a fixed number per section, not per story.
    with django_assert_max_num_queries(8):
        assert client.get("/").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/section/culture/").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/api/stories/").status_code == 200


def test_closed_comments_are_announced_under_the_headline(
    client: Client, make_story: Any, settings: Any
) -> None:
    open_story = make_story("Open for comments")
    closed = make_story("Closed by the desk", comment_mode=Story.CommentMode.CLOSED)
    settings.STORY_CLOSE_COMMENTS_AFTER_DAYS = 2
    old = make_story("Old story", published_at=timezone.now() - timedelta(days=3))
    assert "Comments closed" not in client.get(open_story.get_absolute_url()).content.decode()
    assert "Comments closed" in client.get(closed.get_absolute_url()).content.decode()
    assert "Comments closed" in client.get(old.get_absolute_url()).content.decode()
