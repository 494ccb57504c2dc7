"""Publishing states and scheduling: what readers see, and the audit trail editors leave."""

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from broadsheet.core.exceptions import ServiceError
from broadsheet.core.models import AuditEntry
from broadsheet.stories import services
from broadsheet.stories.models import Story


def audit_actions(story: Story) -> list[str]:
    return list(
        AuditEntry.objects.filter(target_type="stories.story", target_id=str(story.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_a_draft_is_404_until_published(client: Client, make_story: Any, editor: Any) -> None:
    story = make_story("Quiet draft", status=Story.Status.DRAFT)
    assert client.get(story.get_absolute_url()).status_code == 404
    assert "Quiet draft" not in client.get("/").content.decode()

    services.publish(story, by=editor)

    assert client.get(story.get_absolute_url()).status_code == 200
    assert "Quiet draft" in client.get("/").content.decode()
    assert audit_actions(story) == ["stories:story:created", "stories:story:published"]


def test_unpublished_story_is_404_and_keeps_its_publish_time(
    client: Client, make_story: Any, editor: Any
) -> None:
    story = make_story("Withdrawn")
    first_published = story.published_at
    services.unpublish(story, by=editor, reason="Legal asked us to")
    assert client.get(story.get_absolute_url()).status_code == 404
    entry = AuditEntry.objects.get(action="stories:story:unpublished")
    assert entry.reason == "Legal asked us to"
    assert entry.actor == editor

    services.publish(story, by=editor)
    story.refresh_from_db()
    assert story.published_at == first_published  # republishing keeps the original date
    assert client.get(story.get_absolute_url()).status_code == 200


def test_unpublishing_a_draft_is_refused(make_story: Any, editor: Any) -> None:
    story = make_story("Never out", status=Story.Status.DRAFT)
    with pytest.raises(ServiceError) as refused:
        services.unpublish(story, by=editor)
    assert refused.value.code == "not_published"


def test_a_scheduled_story_appears_at_its_time_without_a_restart(
    client: Client, make_story: Any, editor: Any
) -> None:
    story = make_story("Embargoed results", status=Story.Status.DRAFT)
    services.schedule(story, timezone.now() + timedelta(hours=2), by=editor)
    assert client.get(story.get_absolute_url()).status_code == 404
    assert "Embargoed results" not in client.get("/feeds/latest/").content.decode()

    # Time passes: the embargo is now in the past, and the same process shows the story.
    Story.objects.filter(pk=story.pk).update(published_at=timezone.now() - timedelta(seconds=1))

    assert client.get(story.get_absolute_url()).status_code == 200
    assert "Embargoed results" in client.get("/feeds/latest/").content.decode()
    assert "stories:story:scheduled" in audit_actions(story)


def test_scheduling_in_the_past_is_refused(make_story: Any, editor: Any) -> None:
    story = make_story("Late", status=Story.Status.DRAFT)
    now = timezone.now()
    with pytest.raises(ServiceError) as refused:
        services.schedule(story, now - timedelta(minutes=5), by=editor, now=now)
    assert refused.value.code == "time_passed"
    story.refresh_from_db()
    assert story.status == Story.Status.DRAFT


def test_publishing_with_a_future_time_schedules_it(make_story: Any) -> None:
    later = timezone.now() + timedelta(days=1)
    story = make_story("Tomorrow's paper", status=Story.Status.PUBLISHED, published_at=later)
    assert story.status == Story.Status.SCHEDULED
    assert not services.is_live(story)
    assert services.is_live(story, now=later + timedelta(seconds=1))


def test_saving_a_scheduled_story_after_its_time_marks_it_published(
    make_story: Any, editor: Any
) -> None:
    at = timezone.now() + timedelta(hours=1)
    story = make_story("Due soon", status=Story.Status.SCHEDULED, published_at=at)
    story.dek = "A summary added later."
    services.save_story(story, by=editor, now=at + timedelta(minutes=1))
    story.refresh_from_db()
    assert story.status == Story.Status.PUBLISHED
    assert story.published_at == at


def test_scheduled_without_a_time_is_refused(section: Any, editor: Any) -> None:
    story = Story(headline="No time", section=section, body="x", status=Story.Status.SCHEDULED)
    with pytest.raises(ServiceError) as refused:
        services.save_story(story, by=editor)
    assert refused.value.code == "no_time"
    assert not Story.objects.exists()


def test_naive_publish_time_is_refused(section: Any, editor: Any) -> None:
    from datetime import datetime

    story = Story(
        headline="Naive",
        section=section,
        body="x",
        status=Story.Status.PUBLISHED,
        published_at=datetime(2026, 1, 1, 12, 0),
    )
    with pytest.raises(ServiceError):
        services.save_story(story, by=editor)


@pytest.mark.parametrize("field", services.TEXT_FIELDS)
def test_a_nul_character_in_any_text_is_refused(section: Any, editor: Any, field: str) -> None:
    story = Story(headline="Clean headline", section=section, body="Clean body.")
    setattr(story, field, "java\x00script:alert(1)")
    with pytest.raises(ServiceError) as refused:
        services.save_story(story, by=editor)
    assert refused.value.code == "invalid"
    assert not Story.objects.exists()
