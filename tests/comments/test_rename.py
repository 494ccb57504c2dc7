"""A reader who changes their display name shows the new one at once, cached pages or not."""

from typing import Any

import pytest
from django.test import Client

from broadsheet.accounts.services import set_display_name
from broadsheet.comments import services
from broadsheet.stories.models import Story


@pytest.mark.django_db
def test_a_new_display_name_replaces_the_old_one_on_cached_threads(
    demo: dict[str, Any],
) -> None:
    member = demo["users"]["member@example.com"]
    member.display_name_changed_at = None  # free to change the name today
    member.save(update_fields=["display_name_changed_at"])
    story = Story.objects.get(slug="city-council-approves-night-bus-network")
    services.post_comment(member, story, "Buses at last.")
    visitor = Client()
    assert "Harbour Watcher" in visitor.get(story.get_absolute_url()).content.decode()

    set_display_name(member, "Quayside Reader")

    page = visitor.get(story.get_absolute_url()).content.decode()
    assert "Quayside Reader" in page
    assert "Harbour Watcher" not in page
