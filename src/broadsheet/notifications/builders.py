"""What each queued e-mail says, built when it is sent from what is true then.

A builder returns None when the e-mail should no longer go: the comment was removed,
its author is now muted, or the reader turned that kind of e-mail off.
"""

from typing import Any

from django.db.models import QuerySet

from broadsheet.appeals import mail as appeals_mail
from broadsheet.comments.models import Comment
from broadsheet.notifications import billing
from broadsheet.notifications.mail import Builder, Email, render_email, site_url
from broadsheet.notifications.models import Delivery, Mode, Mute, Notification
from broadsheet.notifications.preferences import SETTING_FOR_KIND, mode_for, preferences_for
from broadsheet.stories.models import Story

ACTIVITY_TEMPLATE = "notifications/email/activity.html"
DIGEST_TEMPLATE = "notifications/email/digest.html"


def _still_visible(notifications: QuerySet[Notification]) -> list[Notification]:
    """Those whose comment every reader may still see and whose author is not muted."""
    found = list(
        notifications.filter(
            comment__status=Comment.Status.PUBLISHED,
            story__status__in=[Story.Status.PUBLISHED, Story.Status.SCHEDULED],
        ).select_related("comment", "story", "actor", "comment__author")
    )
    if not found:
        return []
    recipient_id = found[0].recipient_id
    muted = set(
        Mute.objects.filter(
            muter_id=recipient_id, muted_id__in={n.comment.author_id for n in found}
        ).values_list("muted_id", flat=True)
    )
    return [n for n in found if n.comment.author_id not in muted]


def _item(notification: Notification) -> dict[str, Any]:
    comment = notification.comment
    return {
        "kind": notification.kind,
        "author": comment.author.public_name,
        "headline": notification.story.headline,
        "body": comment.body,
        "body_html": comment.body_html,
        "url": f"{site_url()}/comments/{comment.pk}/",
    }


def activity(delivery: Delivery) -> Email | None:
    if delivery.notification_id is None:
        return None
    notification = delivery.notification
    assert notification is not None
    preferences = preferences_for(delivery.recipient_id)
    if mode_for(preferences, notification.kind) != Mode.IMMEDIATE:
        return None
    visible = _still_visible(Notification.objects.filter(pk=notification.pk))
    if not visible:
        return None
    return render_email(
        ACTIVITY_TEMPLATE,
        {"item": _item(visible[0])},
        topic=SETTING_FOR_KIND[Notification.Kind(notification.kind)],
    )


def digest(delivery: Delivery) -> Email | None:
    preferences = preferences_for(delivery.recipient_id)
    wanted = [
        kind for kind in Notification.Kind.values if mode_for(preferences, kind) == Mode.DIGEST
    ]
    items = [
        _item(n)
        for n in _still_visible(
            Notification.objects.filter(digest=delivery, kind__in=wanted).order_by("created_at")
        )
    ]
    if not items:
        return None
    return render_email(
        DIGEST_TEMPLATE, {"items": items, "day": delivery.payload.get("day", "")}, topic="digest"
    )


BUILDERS: dict[str, Builder] = {
    **dict.fromkeys(Notification.Kind.values, activity),
    "digest": digest,
    **billing.BUILDERS,
    **appeals_mail.BUILDERS,
}


def build(delivery: Delivery) -> Email | None:
    builder = BUILDERS.get(delivery.kind)
    return builder(delivery) if builder else None
