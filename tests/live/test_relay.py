"""What each reader is sent when comments change: the public never sees a held comment."""

import json
from typing import Any

import pytest

from broadsheet.accounts.models import User
from broadsheet.comments import services
from broadsheet.comments.models import Comment
from broadsheet.live.log import Event, event_log
from broadsheet.moderation import services as moderation
from broadsheet.moderation.services import Seen
from broadsheet.stories.models import Story

pytestmark = pytest.mark.django_db

STORY = "city-council-approves-night-bus-network"


@pytest.fixture
def story(demo: dict[str, Any], settings: Any) -> Story:
    settings.COMMENT_RATE_LIMIT_SECONDS = 0
    settings.COMMENT_BURST_PER_HOUR = 0
    return Story.objects.get(slug=STORY)


@pytest.fixture
def users(demo: dict[str, Any]) -> dict[str, User]:
    return {email.split("@")[0]: user for email, user in demo["users"].items()}


def events_after(position: str, *channels: str) -> list[tuple[str, str, dict[str, Any]]]:
    found: list[Event] = event_log().since(channels, position)
    return [(e.channel, e.name, json.loads(e.data)) for e in found]


def test_a_published_comment_reaches_the_story_channel_as_a_visitor_sees_it(
    story: Story, users: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    start = event_log().head()
    with django_capture_on_commit_callbacks(execute=True):
        comment = services.post_comment(users["member"], story, "Night buses *at last*.")
    public = events_after(start, f"story:{story.pk}")
    assert [(name, data["id"]) for _, name, data in public] == [("comment", comment.pk)]
    data = public[0][2]
    assert data["count"] == Story.objects.get(pk=story.pk).comment_count
    assert "<em>at last</em>" in data["html"]
    assert "csrfmiddlewaretoken" not in data["html"]  # nothing of any reader
    mine = events_after(start, f"user:{users['member'].pk}")
    assert [(name, data["status"]) for _, name, data in mine] == [("my-comment", "published")]


def test_a_held_comment_goes_to_its_author_and_the_desk_only_until_approved(
    story: Story, users: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    Story.objects.filter(pk=story.pk).update(comment_mode=Story.CommentMode.PREMODERATED)
    story.refresh_from_db()
    start = event_log().head()
    with django_capture_on_commit_callbacks(execute=True):
        comment = services.post_comment(users["member"], story, "Held for a moderator's look.")
    assert comment.status == Comment.Status.PENDING
    assert events_after(start, f"story:{story.pk}") == []
    assert [n for _, n, _ in events_after(start, f"user:{users['member'].pk}")] == ["my-comment"]
    desk = events_after(start, "desk")
    assert desk[-1][1] == "queues"
    assert desk[-1][2]["pending"] >= 1

    approved_from = event_log().head()
    with django_capture_on_commit_callbacks(execute=True):
        moderation.decide(
            users["moderator"], comment.pk, "approve", seen=Seen(comment.revision, "pending")
        )
    public = events_after(approved_from, f"story:{story.pk}")
    assert [(name, data["id"]) for _, name, data in public] == [("comment", comment.pk)]
    mine = events_after(approved_from, f"user:{users['member'].pk}")
    assert mine[-1][2]["status"] == "published"


def test_removal_edit_and_recommendation_reach_the_story_channel(
    story: Story, users: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        comment = services.post_comment(users["member"], story, "First version of my view.")
    start = event_log().head()
    with django_capture_on_commit_callbacks(execute=True):
        services.toggle_recommend(users["moderator"], comment.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.edit_comment(users["member"], comment.pk, "Second version of my view.")
    with django_capture_on_commit_callbacks(execute=True):
        moderation.decide(
            users["moderator"],
            comment.pk,
            "reject",
            seen=Seen(Comment.objects.get(pk=comment.pk).revision, "published"),
            reason="Off topic.",
        )
    public = events_after(start, f"story:{story.pk}")
    assert [name for _, name, _ in public] == ["recommend", "comment-changed", "comment-removed"]
    assert public[0][2]["count"] == 1
    assert "Second version" in public[1][2]["html"]
    assert public[2][2] == {
        "id": comment.pk,
        "count": Story.objects.get(pk=story.pk).comment_count,
        "html": "",
    }
