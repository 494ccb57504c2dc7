"""The illegal-content notice form: open to visitors, its own desk queue, the sender told."""

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from broadsheet.accounts.models import User
from broadsheet.appeals.models import Notice, Statement
from broadsheet.comments.models import Comment
from broadsheet.core.models import AuditEntry

from .conftest import signed_in

pytestmark = pytest.mark.django_db


def valid(target: Comment, **changes: str) -> dict[str, str]:
    return {
        "name": "Ada Visitor",
        "email": "ada@example.org",
        "comment": f"http://testserver/comments/{target.pk}/",
        "law": "Defamation Act 2013 (England and Wales)",
        "explanation": "It accuses a named shopkeeper of fraud, which is untrue.",
        "good_faith": "on",
        **changes,
    }


def test_a_visitor_sends_a_notice_and_is_told_it_arrived(
    make_comment: Callable[..., Comment], django_capture_on_commit_callbacks: Any
) -> None:
    comment = make_comment("Mr Brown of the corner shop is a fraudster.")
    visitor = Client()
    assert "Report illegal content" in visitor.get("/notices/new/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = visitor.post("/notices/new/", valid(comment))
    assert response.status_code == 200
    assert "your notice is received" in response.content.decode()
    notice = Notice.objects.get()
    assert (notice.comment, notice.email, notice.good_faith) == (comment, "ada@example.org", True)
    assert AuditEntry.objects.filter(action="appeals:notice:received").count() == 1
    [receipt] = mail.outbox
    assert receipt.to == ["ada@example.org"]
    assert "We received your notice" in receipt.subject
    assert notice.receipt_sent_at is not None  # a retried task sends nothing more


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"name": "  "}, "This field is required."),
        ({"email": "not-an-address"}, "Enter a valid email address."),
        ({"comment": "the rude one"}, "Paste the link to the comment"),
        ({"comment": "/comments/999999/"}, "There is no published comment with that link"),
        ({"law": ""}, "This field is required."),
        ({"explanation": "x" * 3001}, "at most 3000 characters"),
        ({"good_faith": ""}, "This field is required."),
    ],
)
def test_bad_notices_are_refused_with_the_reason_and_store_nothing(
    make_comment: Callable[..., Comment], change: dict[str, str], message: str
) -> None:
    comment = make_comment("Something")
    response = Client().post("/notices/new/", valid(comment, **change))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Notice.objects.exists()


def test_a_held_comment_cannot_be_named(make_comment: Callable[..., Comment]) -> None:
    held = make_comment("Held one", status=Comment.Status.PENDING)
    response = Client().post("/notices/new/", valid(held, comment=str(held.pk)))
    assert "There is no published comment with that link" in response.content.decode()


def test_notices_from_one_network_are_limited(make_comment: Callable[..., Comment]) -> None:
    comment = make_comment("Something")
    visitor = Client()
    for _ in range(5):
        assert visitor.post("/notices/new/", valid(comment)).status_code == 200
    sixth = visitor.post("/notices/new/", valid(comment))
    assert sixth.status_code == 429
    assert "Too many notices" in sixth.content.decode()
    assert Notice.objects.count() == 5


def test_the_desk_removes_the_comment_and_both_sides_are_told(
    make_comment: Callable[..., Comment],
    moderator_client: Client,
    reader: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    comment = make_comment("Mr Brown of the corner shop is a fraudster.")
    Client().post("/notices/new/", valid(comment))
    notice = Notice.objects.get()
    queue = moderator_client.get("/desk/notices/").content.decode()
    assert f"/desk/notices/{notice.pk}/" in queue
    assert "Defamation Act 2013" in queue
    with django_capture_on_commit_callbacks(execute=True):
        response = moderator_client.post(
            f"/desk/notices/{notice.pk}/",
            {"action": "remove", "response": "An untrue allegation of crime against a person."},
        )
    assert response.status_code == 302
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.REJECTED
    statement = Statement.objects.get()
    assert (statement.reader, statement.ground) == (reader, "illegal")
    assert statement.guideline is not None
    assert statement.guideline.slug == "the-law"
    assert Notice.objects.get().status == Notice.Status.REMOVED
    outcome = [m for m in mail.outbox if m.to == ["ada@example.org"]]
    assert len(outcome) == 1
    assert "Our decision" in outcome[0].subject
    assert "removed it" in outcome[0].body
    assert any(m.to == [reader.email] for m in mail.outbox)  # the author's statement
    again = moderator_client.post(
        f"/desk/notices/{notice.pk}/", {"action": "decline", "response": "x"}
    )
    assert "already handled this notice" in again.content.decode()


def test_a_declined_notice_leaves_the_comment(
    make_comment: Callable[..., Comment], moderator: User
) -> None:
    comment = make_comment("A harsh but lawful review of a restaurant.")
    Client().post("/notices/new/", valid(comment))
    notice = Notice.objects.get()
    signed_in(moderator).post(
        f"/desk/notices/{notice.pk}/", {"action": "decline", "response": "Opinion, not fact."}
    )
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.PUBLISHED
    assert Notice.objects.get().status == Notice.Status.DECLINED
    assert not Statement.objects.exists()


def test_readers_cannot_open_the_notices_queue(reader_client: Client) -> None:
    assert reader_client.get("/desk/notices/").status_code == 403
