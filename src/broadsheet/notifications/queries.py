"""Reads for the signed-in reader: their notifications, follows, mutes and settings."""

from django.core.cache import cache
from django.db.models import QuerySet

from broadsheet.comments.models import Comment
from broadsheet.notifications.activity import unread_cache_key
from broadsheet.notifications.models import Follow, Mute, Notification

RECENT = 50


def _shown(reader_id: int) -> QuerySet[Notification]:
    """The reader's notifications about comments still published, by readers not muted."""
    return Notification.objects.filter(
        recipient_id=reader_id, comment__status=Comment.Status.PUBLISHED
    ).exclude(actor_id__in=Mute.objects.filter(muter_id=reader_id).values("muted_id"))


def unread_count(reader_id: int) -> int:
    """Unread notifications, for the masthead: cached, and refreshed by every change."""
    key = unread_cache_key(reader_id)
    found = cache.get(key)
    if found is None:
        found = _shown(reader_id).filter(read_at__isnull=True).count()
        cache.set(key, found, 300)
    return int(found)


def recent(reader_id: int) -> list[Notification]:
    return list(
        _shown(reader_id)
        .select_related("comment", "story", "actor")
        .order_by("-created_at", "-pk")[:RECENT]
    )


def muted_cache_key(reader_id: int) -> str:
    return f"notifications:muted:{reader_id}"


def muted_by(reader_id: int) -> frozenset[int]:
    """Everyone the reader muted: a short list, read on every stream, so it is cached."""
    key = muted_cache_key(reader_id)
    found = cache.get(key)
    if found is None:
        found = frozenset(
            Mute.objects.filter(muter_id=reader_id).values_list("muted_id", flat=True)
        )
        cache.set(key, found, 3600)
    return frozenset(found)


def muted_among(reader_id: int | None, author_ids: set[int]) -> frozenset[int]:
    """Which of these authors the reader muted (none for a visitor)."""
    if reader_id is None or not author_ids:
        return frozenset()
    return muted_by(reader_id) & author_ids


def followed_threads_among(reader_id: int | None, thread_ids: set[int]) -> frozenset[int]:
    if reader_id is None or not thread_ids:
        return frozenset()
    return frozenset(
        Follow.objects.filter(
            reader_id=reader_id, thread_id__in=thread_ids, following=True
        ).values_list("thread_id", flat=True)
    )


def follows_story(reader_id: int | None, story_id: int) -> bool:
    if reader_id is None:
        return False
    return Follow.objects.filter(reader_id=reader_id, story_id=story_id, following=True).exists()


def muted_readers(reader_id: int) -> list[Mute]:
    return list(Mute.objects.filter(muter_id=reader_id).select_related("muted"))


def followed(reader_id: int) -> list[Follow]:
    """What the reader follows: stories and threads, newest first."""
    return list(
        Follow.objects.filter(reader_id=reader_id, following=True)
        .select_related("story", "thread__story", "thread__author")
        .order_by("-created_at", "-pk")[:100]
    )
