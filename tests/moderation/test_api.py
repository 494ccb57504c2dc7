"""The moderation API: same rules and errors as the desk, as JSON."""

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from broadsheet.accounts.models import User
from broadsheet.comments.models import Comment
from broadsheet.core.models import AuditEntry
from broadsheet.moderation.models import Report, Sanction

from .conftest import signed_in

pytestmark = pytest.mark.django_db


def post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(f"/api/moderation{path}", json.dumps(body), content_type="application/json")


def test_queues_and_counts_for_moderators_only(
    moderator_client: Client, reader_client: Client, make_comment: Callable[..., Comment]
) -> None:
    held = make_comment(
        "Held for the API",
        status=Comment.Status.PENDING,
        toxicity=0.9,
        hold_reasons=["toxicity 0.90"],
    )
    counts = moderator_client.get("/api/moderation/queues").json()
    assert counts["pending"] == 1
    assert counts["flagged"] == 1
    queue = moderator_client.get("/api/moderation/queues/pending").json()
    assert queue["count"] == 1
    item = queue["items"][0]
    assert (item["id"], item["revision"], item["status"]) == (held.pk, 1, "pending")
    assert item["hold_reasons"] == ["toxicity 0.90"]
    assert item["toxicity"] == 0.9
    assert Client().get("/api/moderation/queues").status_code == 401
    refused = reader_client.get("/api/moderation/queues/pending")
    assert refused.status_code == 403
    assert refused.json()["code"] == "not_allowed"
    assert moderator_client.get("/api/moderation/queues/nonsense").status_code == 422


def test_a_decision_and_the_conflict_for_the_second_moderator(
    moderator_client: Client, second_moderator: User, make_comment: Callable[..., Comment]
) -> None:
    held = make_comment("Decide me", status=Comment.Status.PENDING)
    body = {"action": "approve", "revision": 1, "status": "pending"}
    first = post(moderator_client, f"/comments/{held.pk}/decision", body)
    assert first.status_code == 200
    assert first.json()["status"] == "published"
    second = post(
        signed_in(second_moderator),
        f"/comments/{held.pk}/decision",
        {**body, "action": "reject", "reason": "Spam"},
    )
    assert second.status_code == 409
    assert second.json()["code"] == "already_handled"
    assert "Desk Moderator already handled" in second.json()["detail"]
    assert AuditEntry.objects.count() == 1


def test_decision_errors(moderator_client: Client, make_comment: Callable[..., Comment]) -> None:
    held = make_comment("x", status=Comment.Status.PENDING)
    no_reason = post(
        moderator_client,
        f"/comments/{held.pk}/decision",
        {"action": "reject", "revision": 1, "status": "pending"},
    )
    assert no_reason.status_code == 400
    assert no_reason.json()["code"] == "reason_required"
    missing = post(
        moderator_client,
        "/comments/9999/decision",
        {"action": "approve", "revision": 1, "status": "pending"},
    )
    assert missing.status_code == 404
    invalid = post(moderator_client, f"/comments/{held.pk}/decision", {"action": "delete"})
    assert invalid.status_code == 422
    held.refresh_from_db()
    assert held.status == Comment.Status.PENDING


def test_readers_report_through_the_api(
    reader_client: Client, make_comment: Callable[..., Comment], another_reader: User
) -> None:
    comment = make_comment("report me", author=another_reader)
    created = post(reader_client, f"/comments/{comment.pk}/reports", {"reason": "spam"})
    assert created.status_code == 201
    assert created.json()["reason"] == "spam"
    again = post(reader_client, f"/comments/{comment.pk}/reports", {"reason": "abuse"})
    assert again.status_code == 409
    assert again.json()["code"] == "already_reported"
    other = post(reader_client, f"/comments/{comment.pk}/reports", {"reason": "other"})
    assert other.status_code in (400, 409)
    assert post(Client(), f"/comments/{comment.pk}/reports", {"reason": "spam"}).status_code == 401
    assert Report.objects.count() == 1


def test_sanctions_through_the_api(moderator_client: Client, reader: User) -> None:
    created = post(
        moderator_client,
        f"/readers/{reader.pk}/sanctions",
        {"kind": "suspension", "reason": "Abuse", "hours": 48},
    )
    assert created.status_code == 201
    assert created.json()["ends_at"] is not None
    sanction_id = created.json()["id"]
    lifted = post(moderator_client, f"/sanctions/{sanction_id}/lift", {})
    assert lifted.status_code == 200
    assert lifted.json()["lifted_at"] is not None
    again = post(moderator_client, f"/sanctions/{sanction_id}/lift", {})
    assert again.status_code == 409
    assert Sanction.objects.count() == 1


def test_api_writes_need_the_csrf_token(moderator: User, make_comment: Callable[..., Comment]):
    held = make_comment("csrf", status=Comment.Status.PENDING)
    client = Client(enforce_csrf_checks=True)
    client.force_login(moderator)
    response = post(
        client,
        f"/comments/{held.pk}/decision",
        {"action": "approve", "revision": 1, "status": "pending"},
    )
    assert response.status_code == 403
    held.refresh_from_db()
    assert held.status == Comment.Status.PENDING
