"""Rules about stories that other parts of the product ask."""

from datetime import datetime, timedelta

from django.utils import timezone

from broadsheet.stories import conf
from broadsheet.stories.models import Story


def comments_close_at(story: Story) -> datetime | None:
    """When the story's comments close by age: its own setting, else the site default."""
    days = story.close_comments_after_days
    if days is None:
        days = conf.close_comments_after_days()
    if days is None or story.published_at is None:
        return None
    return story.published_at + timedelta(days=days)


def comments_are_closed(story: Story, now: datetime | None = None) -> bool:
    if story.comment_mode == Story.CommentMode.CLOSED:
        return True
    closes = comments_close_at(story)
    return closes is not None and (now or timezone.now()) >= closes


def comments_reviewed_first(story: Story) -> bool:
    """Whether every comment on the story waits for a moderator before it appears."""
    return story.comment_mode == Story.CommentMode.PREMODERATED
