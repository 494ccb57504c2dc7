"""Every write a reader makes to their notifications: settings, follows, mutes, read marks."""

from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from broadsheet.accounts.models import User
from broadsheet.accounts.readers import Reader, signed_in
from broadsheet.comments.models import Comment
from broadsheet.comments.queries import public_comment
from broadsheet.core.exceptions import ServiceError
from broadsheet.notifications.activity import unread_cache_key
from broadsheet.notifications.models import EMAIL_MODES, Follow, Mode, Mute, Notification
from broadsheet.notifications.preferences import ACTIVITY_SETTINGS, TOPIC_LABELS, preferences_for
from broadsheet.notifications.queries import muted_cache_key
from broadsheet.notifications.tokens import Unsubscribe, read_token
from broadsheet.stories.queries import published_stories


def _require_user(reader: Reader) -> User:
    user = signed_in(reader)
    if user is None:
        raise ServiceError(_("Sign in first."), code="sign_in_required", status=401)
    return user


# --- settings ------------------------------------------------------------------------------


def update_preferences(reader: Reader, **values: Any) -> None:
    """Save the reader's settings: each activity kind's mode, and the two switches."""
    user = _require_user(reader)
    preferences = preferences_for(user.pk)
    for name in ACTIVITY_SETTINGS:
        if name in values:
            if values[name] not in Mode.values:
                raise ServiceError(
                    _("Choose one of: %(join)s.") % {"join": ", ".join(Mode.values)},
                    code="invalid_mode",
                    status=422,
                )
            setattr(preferences, name, values[name])
    for name in ("follow_own_threads", "account_emails"):
        if name in values:
            setattr(preferences, name, bool(values[name]))
    preferences.save()


def _unsubscribe_request(token: str) -> Unsubscribe:
    request = read_token(token)
    if request is None or request.topic not in TOPIC_LABELS:
        raise ServiceError(
            _(
                "This unsubscribe link is not valid. You can change your e-mail settings "
                "in your account."
            ),
            code="invalid_token",
            status=400,
        )
    return request


def unsubscribe_topic(token: str) -> str:
    """What a signed unsubscribe link would turn off, without turning it off."""
    return str(TOPIC_LABELS[_unsubscribe_request(token).topic])


def unsubscribe(token: str) -> str:
    """Turn off the e-mails a signed unsubscribe link names; returns what was turned off.

    Works signed out: the token is the proof. Unsubscribing twice changes nothing more.
    """
    request = _unsubscribe_request(token)
    if not User.objects.filter(pk=request.reader_id).exists():
        return str(TOPIC_LABELS[request.topic])
    with transaction.atomic():
        preferences = preferences_for(request.reader_id)
        if request.topic == "account":
            preferences.account_emails = False
        elif request.topic == "digest":
            for name in ACTIVITY_SETTINGS:
                if getattr(preferences, name) == Mode.DIGEST:
                    setattr(preferences, name, Mode.SITE)
        elif getattr(preferences, request.topic) in EMAIL_MODES:
            setattr(preferences, request.topic, Mode.SITE)
        preferences.save()
    return str(TOPIC_LABELS[request.topic])


# --- following -----------------------------------------------------------------------------


def follow_story(reader: Reader, story_id: int, following: bool) -> bool:
    """Follow (or stop following) a story's whole discussion."""
    user = _require_user(reader)
    if not published_stories().filter(pk=story_id).exists():
        raise ServiceError(_("There is no such story."), code="not_found", status=404)
    Follow.objects.update_or_create(
        reader=user, story_id=story_id, defaults={"following": following, "automatic": False}
    )
    return following


def follow_thread(reader: Reader, comment_id: int, following: bool) -> Comment:
    """Follow (or stop following) the thread `comment_id` is in; returns its top comment."""
    user = _require_user(reader)
    comment = public_comment(user, comment_id)
    root = comment.root or comment
    Follow.objects.update_or_create(
        reader=user, thread=root, defaults={"following": following, "automatic": False}
    )
    return root


def _forget_mutes(reader_id: int) -> None:
    _forget(muted_cache_key(reader_id))
    _forget_count(reader_id)  # notifications from a muted reader are not shown


# --- muting --------------------------------------------------------------------------------


def mute_author_of(reader: Reader, comment_id: int) -> User:
    """Mute the author of a comment. Private: nothing tells the muted reader."""
    user = _require_user(reader)
    comment = public_comment(user, comment_id)
    if comment.status == Comment.Status.DELETED:
        raise ServiceError(_("There is no such comment."), code="not_found", status=404)
    if comment.author_id == user.pk:
        raise ServiceError(_("You cannot mute yourself."), code="own_comment", status=422)
    Mute.objects.get_or_create(muter=user, muted_id=comment.author_id)
    _forget_mutes(user.pk)
    return comment.author


def unmute(reader: Reader, muted_id: int) -> None:
    user = _require_user(reader)
    removed, _kinds = Mute.objects.filter(muter=user, muted_id=muted_id).delete()
    _forget_mutes(user.pk)
    if not removed:
        raise ServiceError(_("You have not muted this reader."), code="not_found", status=404)


# --- reading -------------------------------------------------------------------------------


def _forget(key: str) -> None:
    # Now, and again after commit, in case a read cached the old value in between.
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


def _forget_count(reader_id: int) -> None:
    _forget(unread_cache_key(reader_id))


def mark_all_read(reader: Reader) -> int:
    user = _require_user(reader)
    marked = Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    _forget_count(user.pk)
    return marked


def open_notification(reader: Reader, notification_id: int) -> str:
    """Mark one of the reader's notifications read; returns where it points."""
    user = _require_user(reader)
    notification = Notification.objects.filter(pk=notification_id, recipient=user).first()
    if notification is None:
        raise ServiceError(_("There is no such notification."), code="not_found", status=404)
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk).update(read_at=timezone.now())
        _forget_count(user.pk)
    return f"/comments/{notification.comment_id}/"
