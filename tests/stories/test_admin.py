"""The editors' desk in the admin: create, edit, preview, schedule, publish, moderate."""

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from broadsheet.accounts.models import User
from broadsheet.core.models import AuditEntry
from broadsheet.stories.models import Section, Story


@pytest.fixture
def desk(db: Any, section: Section) -> tuple[Client, User]:
    user = User.objects.create_user("editor@example.com", "pw", is_staff=True, display_name="Ed")
    user.groups.add(Group.objects.get(name="Editors"))
    client = Client()
    client.force_login(user)
    return client, user


def form_data(section: Section, **overrides: Any) -> dict[str, Any]:
    data = {
        "headline": "Harbour reopens after storm",
        "dek": "Ships were stuck for a week.",
        "section": section.pk,
        "body": "The harbour **reopened** on Monday.",
        "byline": "Port reporter",
        "dateline": "",
        "status": "draft",
        "published_at_0": "",
        "published_at_1": "",
        "comment_mode": "open",
        "moderation_strictness": "standard",
        "close_comments_after_days": "",
        "image_alt": "",
        "image_caption": "",
        "image_credit": "",
        # The inline corrections and updates: none added.
        "notes-TOTAL_FORMS": "0",
        "notes-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def test_an_editor_creates_a_draft_and_previews_it(
    desk: tuple[Client, User], section: Section
) -> None:
    client, user = desk
    response = client.post("/admin/stories/story/add/", form_data(section, _preview="1"))
    story = Story.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/stories/story/{story.pk}/preview/"
    assert story.slug == "harbour-reopens-after-storm"
    assert story.body_html == "<p>The harbour <strong>reopened</strong> on Monday.</p>\n"
    assert AuditEntry.objects.get(action="stories:story:created").actor == user

    preview = client.get(response["Location"]).content.decode()
    assert "this story is <strong>draft</strong>" in preview
    assert "<strong>reopened</strong>" in preview
    assert Client().get(story.get_absolute_url()).status_code == 404


def test_an_editor_schedules_a_story(desk: tuple[Client, User], section: Section) -> None:
    client, _ = desk
    at = timezone.localtime(timezone.now() + timedelta(days=1))
    client.post(
        "/admin/stories/story/add/",
        form_data(
            section,
            status="scheduled",
            published_at_0=at.strftime("%Y-%m-%d"),
            published_at_1=at.strftime("%H:%M:%S"),
        ),
    )
    story = Story.objects.get()
    assert story.status == Story.Status.SCHEDULED
    listing = client.get("/admin/stories/story/").content.decode()
    assert "scheduled for" in listing


def test_scheduling_in_the_past_is_refused_in_the_form(
    desk: tuple[Client, User], section: Section
) -> None:
    client, _ = desk
    past = timezone.localtime(timezone.now() - timedelta(days=1))
    response = client.post(
        "/admin/stories/story/add/",
        form_data(
            section,
            status="scheduled",
            published_at_0=past.strftime("%Y-%m-%d"),
            published_at_1=past.strftime("%H:%M:%S"),
        ),
    )
    assert response.status_code == 200
    assert "The scheduled time has already passed" in response.content.decode()
    assert not Story.objects.exists()


def test_an_editor_publishes_and_edits_a_headline(
    desk: tuple[Client, User], section: Section
) -> None:
    client, _ = desk
    client.post("/admin/stories/story/add/", form_data(section))
    story = Story.objects.get()
    client.post(
        "/admin/stories/story/",
        {"action": "publish_now", "_selected_action": [story.pk]},
    )
    story.refresh_from_db()
    assert story.status == Story.Status.PUBLISHED
    assert Client().get("/story/harbour-reopens-after-storm/").status_code == 200

    client.post(
        f"/admin/stories/story/{story.pk}/change/",
        form_data(
            section,
            headline="Harbour reopens after a week",
            status="published",
            published_at_0=timezone.localtime(story.published_at).strftime("%Y-%m-%d"),
            published_at_1=timezone.localtime(story.published_at).strftime("%H:%M:%S"),
        ),
    )
    story.refresh_from_db()
    assert story.slug == "harbour-reopens-after-a-week"
    assert story.revised_at is not None
    assert Client().get("/story/harbour-reopens-after-storm/").status_code == 301


def test_the_list_links_each_story_to_its_comment_desk(
    desk: tuple[Client, User], make_story: Any
) -> None:
    client, _ = desk
    story = make_story("Busy thread")
    Story.objects.filter(pk=story.pk).update(comment_count=42)
    listing = client.get("/admin/stories/story/").content.decode()
    assert f'href="/desk/?story={story.pk}"' in listing
    assert ">42</a>" in listing


def test_markdown_preview_renders_and_sanitizes(desk: tuple[Client, User]) -> None:
    client, _ = desk
    page = client.post(
        "/admin/stories/story/markdown-preview/",
        {"body": "## Sub\n\nHello <script>alert(1)</script> [x](javascript:alert(1))"},
    ).content.decode()
    assert "<h2>Sub</h2>" in page
    assert "<script>alert(1)</script>" not in page
    assert 'href="javascript:' not in page


def test_readers_cannot_reach_the_desk(client: Client, make_story: Any) -> None:
    story = make_story()
    reader = User.objects.create_user("reader@example.com", "pw")
    client.force_login(reader)
    response = client.get(f"/admin/stories/story/{story.pk}/preview/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_the_add_and_change_pages_render(desk: tuple[Client, User], make_story: Any) -> None:
    client, _ = desk
    assert client.get("/admin/stories/story/add/").status_code == 200
    story = make_story("Editable")
    page = client.get(f"/admin/stories/story/{story.pk}/change/").content.decode()
    assert f'href="/admin/stories/story/{story.pk}/preview/"' in page
    assert f'href="/desk/?story={story.pk}"' in page
    assert 'name="_preview"' in page
    assert "/story/editable/" in page
