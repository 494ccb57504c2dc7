"""Comment activity to notifications: who hears of a published or featured comment.

The comment services make one call per event (`comment_created`, `comment_published`,
`comment_featured`) inside their transaction; the fan-out itself runs as a task after
commit, so a busy story's writers do not wait for it. The task reads the comment again:
a comment held, rejected or deleted by then notifies nobody, and every notification is
unique per (reader, event), so a retried task or a second approval adds nothing.
"""

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from broadsheet.accounts.models import User
from broadsheet.comments.models import Comment
from broadsheet.core.events import publish_on_commit
from broadsheet.notifications import mail
from broadsheet.notifications.models import Follow, Mode, Mute, Notification
from broadsheet.notifications.preferences import mode_for, preferences_for, preferences_of
from broadsheet.stories.queries import published_stories

Kind = Notification.Kind


# --- the calls the comment services make ---------------------------------------------------


def comment_created(comment: Comment) -> None:
    """A comment was stored: its author follows its thread; readers hear once it is published."""
    if preferences_for(comment.author_id).follow_own_threads:
        if comment.root_id is None:
            # A new thread: nobody can follow it yet, so there is nothing to look up.
            Follow.objects.create(reader_id=comment.author_id, thread_id=comment.pk, automatic=True)
        else:
            Follow.objects.get_or_create(
                reader_id=comment.author_id,
                thread_id=comment.root_id,
                defaults={"automatic": True},
            )
    if comment.status == Comment.Status.PUBLISHED:
        comment_published(comment)


def comment_published(comment: Comment) -> None:
    """A comment became visible (posted, approved, or edited back into view)."""
    from broadsheet.notifications.tasks import notify_comment

    comment_id = comment.pk
    transaction.on_commit(lambda: notify_comment.enqueue(comment_id))


def comment_featured(comment: Comment, *, by: User | None) -> None:
    """A moderator made the comment an editors' pick. Featuring one's own tells no one."""
    from broadsheet.notifications.tasks import notify_featured

    if by is not None and by.pk == comment.author_id:
        return
    comment_id = comment.pk
    transaction.on_commit(lambda: notify_featured.enqueue(comment_id))


# --- the fan-out (run by the tasks) --------------------------------------------------------


# What the fan-out reads; anything else loads on use (building three whole rows cost more
# than the rest of the fan-out).
FAN_OUT_FIELDS = (
    "story_id", "author_id", "parent_id", "root_id", "in_reply_to_id", "status", "is_featured",
    "author__display_name", "parent__status", "parent__author_id", "in_reply_to__status",
    "in_reply_to__author_id",
)  # fmt: skip


def _visible_comment(comment_id: int) -> Comment | None:
    """The comment if every reader may see it now: published, on a published story."""
    return (
        Comment.objects.select_related("author", "parent", "in_reply_to")
        .only(*FAN_OUT_FIELDS)
        .filter(
            pk=comment_id,
            status=Comment.Status.PUBLISHED,
            story__in=published_stories(),
        )
        .first()
    )


def recipients_of(comment: Comment) -> dict[int, str]:
    """Who hears of a new comment, and why: a reply beats a followed thread beats a story."""
    found: dict[int, str] = {}
    answered = comment.in_reply_to or comment.parent
    if answered is not None and answered.status == Comment.Status.PUBLISHED:
        found[answered.author_id] = Kind.REPLY
    if comment.root_id is not None:
        for reader_id in Follow.objects.filter(
            thread_id=comment.root_id, following=True
        ).values_list("reader_id", flat=True):
            found.setdefault(reader_id, Kind.THREAD)
    for reader_id in Follow.objects.filter(story_id=comment.story_id, following=True).values_list(
        "reader_id", flat=True
    ):
        found.setdefault(reader_id, Kind.STORY)
    found.pop(comment.author_id, None)  # never one's own comment
    muters = set(
        Mute.objects.filter(muted_id=comment.author_id, muter_id__in=list(found)).values_list(
            "muter_id", flat=True
        )
    )
    return {reader_id: kind for reader_id, kind in found.items() if reader_id not in muters}


def notify_comment(comment_id: int) -> int:
    """Tell the readers a newly visible comment concerns; returns how many were told."""
    comment = _visible_comment(comment_id)
    if comment is None:
        return 0
    recipients = recipients_of(comment)
    told = 0
    for reader_id, verified in _active_readers(list(recipients)):
        kind = recipients[reader_id]
        told += _notify(reader_id, verified, kind, f"comment:{comment.pk}", comment)
    return told


def notify_featured(comment_id: int) -> int:
    comment = _visible_comment(comment_id)
    if comment is None or not comment.is_featured:
        return 0
    readers = list(_active_readers([comment.author_id]))
    if not readers:
        return 0
    _, verified = readers[0]
    return _notify(comment.author_id, verified, Kind.FEATURED, f"featured:{comment.pk}", comment)


def _active_readers(reader_ids: list[int]) -> list[tuple[int, bool]]:
    rows = User.objects.filter(pk__in=reader_ids, is_active=True).values_list(
        "pk", "email_verified_at"
    )
    return [(pk, verified_at is not None) for pk, verified_at in rows]


def unread_cache_key(reader_id: int) -> str:
    return f"notifications:unread:{reader_id}"


def _notify(reader_id: int, verified: bool, kind: str, event_key: str, comment: Comment) -> int:
    preferences = preferences_of([reader_id])[reader_id]
    mode = mode_for(preferences, kind)
    if mode == Mode.OFF:
        return 0
    # E-mail goes only to a confirmed address; the site list shows it either way.
    email = mode if verified and mode in (Mode.IMMEDIATE, Mode.DIGEST) else "none"
    with transaction.atomic():
        notification, created = Notification.objects.get_or_create(
            recipient_id=reader_id,
            event_key=event_key,
            defaults={
                "kind": kind,
                "actor_id": None if kind == Kind.FEATURED else comment.author_id,
                "comment": comment,
                "story_id": comment.story_id,
                "created_at": timezone.now(),
                "email": email,
            },
        )
        if not created:
            return 0
        if email == Mode.IMMEDIATE:
            mail.queue(reader_id, kind, event_key, notification=notification)
        from broadsheet.notifications.queries import unread_count

        cache.delete(unread_cache_key(reader_id))
        unread = unread_count(reader_id)
        transaction.on_commit(lambda: cache.delete(unread_cache_key(reader_id)))
        publish_on_commit(
            "notification.created", f"user:{reader_id}", id=notification.pk, unread=unread
        )
    return 1
