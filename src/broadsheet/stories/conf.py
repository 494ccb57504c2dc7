"""Settings of the stories app, with their defaults."""

from django.conf import settings


def close_comments_after_days() -> int | None:
    """The site default for closing a story's comments; None keeps them open."""
    return getattr(settings, "STORY_CLOSE_COMMENTS_AFTER_DAYS", None)
