"""The notifications API: the same rules as the pages, JSON errors with a code."""

import json
from collections.abc import Callable

import pytest
from django.test import Client

from broadsheet.accounts.models import User
from broadsheet.comments.models import Comment
from broadsheet.notifications.models import Follow, Mute, Preferences
from broadsheet.stories.models import Story

pytestmark = pytest.mark.django_db
API = "/api/notifications"


def put(client: Client, path: str, body: dict) -> tuple[int, dict]:
    response = client.put(path, json.dumps(body), content_type="application/json")
    return response.status_code, response.json()


def test_the_reader_reads_and_clears_their_notifications(
    post: Callable[..., Comment],
    client_for: Callable[[str], Client],
    story: Story,
    users: dict[str, User],
) -> None:
    mine = post(users["member"], story, "Night buses at last.")
    reply = post(users["editor"], story, "They start in March.", to=mine)
    member = client_for("member")
    inbox = member.get(f"{API}/").json()
    assert inbox["unread"] == 1
    [item] = inbox["notifications"]
    assert (item["kind"], item["actor"], item["read"]) == ("reply", "Mara Lindqvist", False)
    assert item["url"] == f"/comments/{reply.pk}/"
    assert member.post(f"{API}/read").json()["unread"] == 0
    assert Client().get(f"{API}/").json() == {
        "detail": "Sign in first.",
        "code": "sign_in_required",
    }


def test_settings_follows_and_mutes_through_the_api(
    post: Callable[..., Comment],
    client_for: Callable[[str], Client],
    story: Story,
    users: dict[str, User],
) -> None:
    member = client_for("member")
    assert member.get(f"{API}/settings").json()["replies"] == "immediate"
    body = {
        "replies": "digest",
        "featured": "off",
        "followed": "site",
        "follow_own_threads": False,
        "account_emails": True,
    }
    assert put(member, f"{API}/settings", body) == (200, body)
    status, error = put(member, f"{API}/settings", {**body, "replies": "hourly"})
    assert (status, error["code"]) == (422, "invalid")
    assert Preferences.objects.get(reader=users["member"]).replies == "digest"

    assert put(member, f"{API}/follows/stories/{story.pk}", {"following": True}) == (
        200,
        {"following": True},
    )
    assert put(member, f"{API}/follows/stories/999999", {"following": True})[0] == 404
    theirs = post(users["editor"], story, "Their thread.")
    assert put(member, f"{API}/follows/threads/{theirs.pk}", {"following": True})[0] == 200
    assert Follow.objects.filter(reader=users["member"], following=True).count() == 2

    muted = member.post(
        f"{API}/mutes", json.dumps({"comment_id": theirs.pk}), content_type="application/json"
    )
    assert [m["name"] for m in muted.json()] == ["Mara Lindqvist"]
    mine = post(users["member"], story, "Mine.")
    own = member.post(
        f"{API}/mutes", json.dumps({"comment_id": mine.pk}), content_type="application/json"
    )
    assert (own.status_code, own.json()["code"]) == (422, "own_comment")
    assert member.delete(f"{API}/mutes/{users['editor'].pk}").json() == []
    gone = member.delete(f"{API}/mutes/{users['editor'].pk}")
    assert (gone.status_code, gone.json()["code"]) == (404, "not_found")
    assert not Mute.objects.exists()
