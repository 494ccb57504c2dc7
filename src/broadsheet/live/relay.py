"""From what happened to what each reader may see: domain events become live events.

The services publish domain events after commit ("comment.created" with its status,
"comment.status_changed", ...). Here each becomes, in the process that made the change:
- on the story's public channel, only what the public may see: a comment as a visitor
  sees it, a changed or removed comment, a recommendation count, the story's count;
- on its author's own channel, every change to their comment (held ones included);
- on the desk's channel, the queue counts, when they may have moved;
- on a reader's own channel, each new notification with their unread count.
"""

import logging
from typing import Any

from broadsheet.comments import queries
from broadsheet.comments.models import Comment
from broadsheet.comments.stream import public_comment_html
from broadsheet.live.log import event_log
from broadsheet.moderation.queries import queue_counts
from broadsheet.stories.models import Story

logger = logging.getLogger(__name__)

SHOWN = Comment.Status.PUBLISHED


def relay(channel: str, event: dict[str, Any]) -> None:
    """The broker's listener: never lets a failure reach the write that caused the event."""
    try:
        _relay(channel, event)
    except Exception:
        # The write is committed; readers catch up on their next page load.
        logger.warning("live: could not relay %s on %s", event.get("event"), channel, exc_info=True)


def _relay(channel: str, event: dict[str, Any]) -> None:
    name = event.get("event", "")
    if name == "notification.created" and channel.startswith("user:"):
        # Private to the reader: the masthead's unread count moves on.
        event_log().append(channel, "notification", {"id": event["id"], "unread": event["unread"]})
        return
    if not (channel.startswith("story:") and name.startswith("comment.")):
        if name == "report.created":
            _desk()
        return
    comment = (
        Comment.objects.select_related("story")
        # Not the story's text: a long article would be read for every comment on it.
        .only(
            "status",
            "author_id",
            "parent_id",
            "root_id",
            "depth",
            "story__slug",
            "story__comment_count",
        )
        .filter(pk=event["comment_id"])
        .first()
    )
    if comment is None:
        return
    story = comment.story
    log = event_log()
    public = f"story:{story.pk}"
    status, previous = event.get("status", comment.status), event.get("previous")

    if name == "comment.reacted":
        count = Comment.objects.values_list("recommend_count", flat=True).get(pk=comment.pk)
        log.append(public, "recommend", {"id": comment.pk, "count": count})
        return
    if name in {"comment.created", "comment.status_changed", "comment.edited"}:
        log.append(
            f"user:{comment.author_id}",
            "my-comment",
            {"id": comment.pk, "story_id": story.pk, "status": status},
        )
    entry = queries.public_entry(comment.pk, story)
    count = story.comment_count  # read with the comment, after the write committed
    appeared = name in {"comment.created", "comment.status_changed"} and status == SHOWN
    if appeared and entry:
        log.append(public, "comment", _shown(story, entry, count))
    elif name == "comment.status_changed" and previous == SHOWN:
        # Removed by a moderator, hidden by reports, or deleted by its author (a deleted
        # comment with replies stays as a placeholder: `html` is that placeholder).
        html = public_comment_html(story, entry) if entry else ""
        log.append(public, "comment-removed", {"id": comment.pk, "count": count, "html": html})
    elif name in {"comment.edited", "comment.featured", "comment.unfeatured"}:
        if entry and not entry.deleted:
            html = public_comment_html(story, entry)
            log.append(public, "comment-changed", {"id": comment.pk, "html": html})
        elif name == "comment.edited" and status != SHOWN:
            log.append(public, "comment-removed", {"id": comment.pk, "count": count, "html": ""})
    if status != SHOWN or previous == Comment.Status.PENDING or name == "comment.status_changed":
        _desk()


def _shown(story: Story, entry: queries.Entry, count: int) -> dict[str, object]:
    return {
        "id": entry.id,
        "thread_id": entry.thread_id,
        "parent_id": entry.parent_id,
        "depth": entry.depth,
        "count": count,
        "html": public_comment_html(story, entry),
    }


def _desk() -> None:
    event_log().append("desk", "queues", queue_counts())
