"""Fixtures for the stories tests: sections, an editor and a way to make stories."""

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from broadsheet.accounts.models import User
from broadsheet.stories import services
from broadsheet.stories.models import Section, Story


@pytest.fixture
def section(db: Any) -> Section:
    return Section.objects.create(name="World", slug="world")


@pytest.fixture
def editor(db: Any) -> User:
    return User.objects.create_user("desk@example.com", "pw", display_name="Ines Duarte")


@pytest.fixture
def make_story(section: Section, editor: User) -> Callable[..., Story]:
    def make(
        headline: str = "Harbour reopens after storm",
        *,
        status: str = Story.Status.PUBLISHED,
        published_at: datetime | None = None,
        **fields: Any,
    ) -> Story:
        if status == Story.Status.PUBLISHED and published_at is None:
            published_at = timezone.now() - timedelta(hours=1)
        story = Story(
            headline=headline,
            section=fields.pop("section", section),
            body=fields.pop("body", "The harbour reopened on Monday.\n\nShips queued outside."),
            status=status,
            published_at=published_at,
            **fields,
        )
        return services.save_story(story, by=editor)

    return make
