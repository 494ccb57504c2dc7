"""Who may follow which live channel (called from the SSE endpoints, in a thread)."""

from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user
from django.db import close_old_connections
from django.http import HttpRequest

from broadsheet.moderation.access import is_desk_member
from broadsheet.stories.queries import published_stories


def story_is_public(story_id: int) -> bool:
    """The stream of a story is open to anyone who may read the story's comments."""
    close_old_connections()
    return published_stories().filter(pk=story_id).exists()


def reader_channels(session_key: str) -> list[str]:
    """The signed-in reader's own channel, and the desk's for moderators and editors."""
    close_old_connections()
    request = HttpRequest()
    request.session = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    user = get_user(request)
    if not user.is_authenticated:
        return []
    return [f"user:{user.pk}"] + (["desk"] if is_desk_member(user) else [])
