"""The notifications API: the signed-in reader's notifications, settings, follows and mutes."""

from datetime import datetime
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.security import django_auth

from broadsheet.accounts.readers import signed_in
from broadsheet.notifications import queries, services
from broadsheet.notifications.models import Notification
from broadsheet.notifications.preferences import preferences_for

router = Router(tags=["notifications"], auth=django_auth)
ModeName = Literal["off", "site", "immediate", "digest"]


class Error(Schema):
    detail: str
    code: str


class NotificationOut(Schema):
    id: int
    kind: str
    read: bool
    created_at: datetime
    story: str
    actor: str | None
    url: str


class InboxOut(Schema):
    unread: int
    notifications: list[NotificationOut]


class PreferencesSchema(Schema):
    replies: ModeName
    featured: ModeName
    followed: ModeName
    follow_own_threads: bool
    account_emails: bool


class FollowIn(Schema):
    following: bool


class FollowOut(Schema):
    following: bool


class MuteIn(Schema):
    comment_id: int


class MutedOut(Schema):
    reader_id: int
    name: str
    muted_at: datetime


def _me(request: HttpRequest) -> int:
    user = signed_in(request.user)
    assert user is not None  # django_auth let the request through
    return user.pk


def _out(notification: Notification) -> dict[str, Any]:
    return {
        "id": notification.pk,
        "kind": notification.kind,
        "read": notification.read_at is not None,
        "created_at": notification.created_at,
        "story": notification.story.headline,
        "actor": notification.actor.public_name if notification.actor else None,
        "url": f"/comments/{notification.comment_id}/",
    }


@router.get("/", response={200: InboxOut, 401: Error}, summary="My recent notifications")
def inbox(request: HttpRequest) -> dict[str, Any]:
    reader_id = _me(request)
    return {
        "unread": queries.unread_count(reader_id),
        "notifications": [_out(n) for n in queries.recent(reader_id)],
    }


@router.post("/read", response={200: InboxOut, 401: Error}, summary="Mark all as read")
def mark_read(request: HttpRequest) -> dict[str, Any]:
    services.mark_all_read(request.user)
    return inbox(request)


def _preferences(reader_id: int) -> dict[str, Any]:
    saved = preferences_for(reader_id)
    return {name: getattr(saved, name) for name in PreferencesSchema.model_fields}


@router.get("/settings", response={200: PreferencesSchema, 401: Error}, summary="My settings")
def get_settings(request: HttpRequest) -> dict[str, Any]:
    return _preferences(_me(request))


@router.put(
    "/settings", response={200: PreferencesSchema, 401: Error, 422: Error}, summary="Save them"
)
def put_settings(request: HttpRequest, payload: PreferencesSchema) -> dict[str, Any]:
    services.update_preferences(request.user, **payload.model_dump())
    return _preferences(_me(request))


@router.put(
    "/follows/stories/{story_id}",
    response={200: FollowOut, 401: Error, 404: Error},
    summary="Follow a story's discussion, or stop",
)
def follow_story(request: HttpRequest, story_id: int, payload: FollowIn) -> dict[str, bool]:
    return {"following": services.follow_story(request.user, story_id, payload.following)}


@router.put(
    "/follows/threads/{comment_id}",
    response={200: FollowOut, 401: Error, 404: Error},
    summary="Follow the thread a comment is in, or stop",
)
def follow_thread(request: HttpRequest, comment_id: int, payload: FollowIn) -> dict[str, bool]:
    services.follow_thread(request.user, comment_id, payload.following)
    return {"following": payload.following}


@router.get("/mutes", response={200: list[MutedOut], 401: Error}, summary="Readers I muted")
def mutes(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {"reader_id": m.muted_id, "name": m.muted.public_name, "muted_at": m.created_at}
        for m in queries.muted_readers(_me(request))
    ]


@router.post(
    "/mutes",
    response={200: list[MutedOut], 401: Error, 404: Error, 422: Error},
    summary="Mute the author of a comment (they are not told)",
)
def mute(request: HttpRequest, payload: MuteIn) -> list[dict[str, Any]]:
    services.mute_author_of(request.user, payload.comment_id)
    return mutes(request)


@router.delete(
    "/mutes/{reader_id}", response={200: list[MutedOut], 401: Error, 404: Error}, summary="Unmute"
)
def unmute(request: HttpRequest, reader_id: int) -> list[dict[str, Any]]:
    services.unmute(request.user, reader_id)
    return mutes(request)
