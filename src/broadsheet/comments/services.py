"""Every write to comments comes through here: check, write in a transaction, publish after."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from broadsheet.accounts.models import User
from broadsheet.comments.models import Comment
from broadsheet.core.events import publish_on_commit
from broadsheet.stories.models import Story

# Only published comments count towards a story's comment count.
COUNTED = Comment.Status.PUBLISHED


def set_status(
    comment: Comment, status: str, *, by: User | None = None, reason: str = ""
) -> Comment:
    """Move `comment` to `status`, keeping the story's count and cache version exact.

    Moderation (approve, reject, hide) and authors (delete) both come through here.
    """
    with transaction.atomic():
        locked = Comment.objects.select_for_update().get(pk=comment.pk)
        previous = locked.status
        if previous == status:
            return locked
        locked.status = status
        locked.status_reason = reason
        locked.status_changed_at = timezone.now()
        locked.status_changed_by = by
        locked.save(
            update_fields=["status", "status_reason", "status_changed_at", "status_changed_by"]
        )
        delta = (status == COUNTED) - (previous == COUNTED)
        Story.objects.filter(pk=locked.story_id).update(
            comment_count=F("comment_count") + delta, comment_version=F("comment_version") + 1
        )
        publish_on_commit(
            "comment.status_changed",
            f"story:{locked.story_id}",
            comment_id=locked.pk,
            status=status,
            previous=previous,
        )
    return locked


def set_featured(comment: Comment, featured: bool) -> Comment:
    """Mark or unmark `comment` as an editors' pick."""
    with transaction.atomic():
        Comment.objects.filter(pk=comment.pk).update(is_featured=featured)
        Story.objects.filter(pk=comment.story_id).update(comment_version=F("comment_version") + 1)
        publish_on_commit(
            "comment.featured" if featured else "comment.unfeatured",
            f"story:{comment.story_id}",
            comment_id=comment.pk,
        )
    comment.is_featured = featured
    return comment
