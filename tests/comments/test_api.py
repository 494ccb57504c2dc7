"""What the comments API promises beyond the pages: its document, CSRF, and its errors."""

import json
from collections.abc import Callable

import pytest
from django.test import Client

from broadsheet.accounts.models import User
from broadsheet.comments import services
from broadsheet.comments.models import Comment
from broadsheet.stories.models import Story

pytestmark = pytest.mark.django_db


def test_the_openapi_document_lists_every_endpoint(client: Client) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    assert set(paths) >= {
        "/api/comments/stories/{slug}/gate",
        "/api/comments/stories/{slug}/thread",
        "/api/comments/stories/{slug}/comments",
        "/api/comments/threads/{comment_id}",
        "/api/comments/{comment_id}/replies",
        "/api/comments/{comment_id}/recommend",
        "/api/comments/{comment_id}",
    }
    assert set(paths["/api/comments/{comment_id}"]) == {"patch", "delete"}


def test_a_signed_in_write_needs_the_csrf_token(story: Story, member: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    url = f"/api/comments/stories/{story.slug}/comments"
    refused = client.post(url, json.dumps({"text": "forged"}), content_type="application/json")
    assert refused.status_code == 403
    assert not Comment.objects.filter(body="forged").exists()

    client.get(story.get_absolute_url())  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    accepted = client.post(
        url,
        json.dumps({"text": "with the token"}),
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert accepted.status_code == 201


def test_a_whole_thread(
    client_for: Callable[[str], Client], story: Story, users: dict[str, User]
) -> None:
    top = services.post_comment(users["member"], story, "Top")
    for n in range(5):
        services.reply_to(users["editor"], top.pk, f"reply {n}")
    data = client_for("visitor").get(f"/api/comments/threads/{top.pk}").json()
    assert data["comment"]["id"] == top.pk
    assert [r["body_html"] for r in data["replies"]] == [f"<p>reply {n}</p>" for n in range(5)]
    assert data["hidden_replies"] == 0
    missing = client_for("visitor").get("/api/comments/threads/999999")
    assert missing.status_code == 404
    assert missing.json()["code"] == "not_found"


def test_the_same_token_returns_the_same_comment(
    client_for: Callable[[str], Client], story: Story
) -> None:
    client = client_for("member")
    url = f"/api/comments/stories/{story.slug}/comments"
    body = json.dumps({"text": "Once only", "token": "retry-1"})
    first = client.post(url, body, content_type="application/json").json()
    second = client.post(url, body, content_type="application/json").json()
    assert first["id"] == second["id"]
    assert Comment.objects.filter(body="Once only").count() == 1


def test_the_admin_shows_comments_but_changes_nothing(
    story: Story, member: User, admin_client: Client
) -> None:
    comment = services.post_comment(member, story, "Seen in the admin")
    assert admin_client.get("/admin/comments/comment/").status_code == 200
    page = admin_client.get(f"/admin/comments/comment/{comment.pk}/change/")
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()  # read-only: no save button
    admin_client.post(f"/admin/comments/comment/{comment.pk}/change/", {"body": "changed"})
    comment.refresh_from_db()
    assert comment.body == "Seen in the admin"
