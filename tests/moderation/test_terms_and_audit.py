"""Word lists edited on the desk, and the append-only audit log."""

from collections.abc import Callable

import pytest
from django.test import Client

from broadsheet.accounts.models import User
from broadsheet.comments.models import Comment
from broadsheet.core.models import AuditEntry
from broadsheet.moderation.models import Term
from broadsheet.moderation.pipeline import Outcome, screen
from broadsheet.stories.models import Story

pytestmark = pytest.mark.django_db


def add(client: Client, text: str, kind: str = "suspect"):
    return client.post("/desk/terms/", {"text": text, "kind": kind, "note": ""}, follow=True)


def test_a_moderator_adds_a_term_that_applies_at_once(
    moderator_client: Client, moderator: User, reader: User, story: Story
) -> None:
    page = add(moderator_client, "Scumbag", "banned").content.decode()
    assert "added to the banned list" in page
    term = Term.objects.get()
    assert (term.text, term.key, term.kind, term.added_by) == (
        "Scumbag", "scumbag", "banned", moderator
    )  # fmt: skip
    result = screen(author=reader, story=story, text="what a 5cumb@g")
    assert result.outcome == Outcome.REFUSE
    assert AuditEntry.objects.get(action="moderation:term:added").actor == moderator


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("", "This field is required"),
        ("x", "at least two letters"),
        ("fu*", "at least three letters"),
        ("!!!", "at least two letters"),
    ],
)
def test_a_bad_term_is_refused_with_a_reason(
    moderator_client: Client, text: str, error: str
) -> None:
    response = add(moderator_client, text)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not Term.objects.exists()


def test_the_same_term_in_another_spelling_is_refused(moderator_client: Client) -> None:
    add(moderator_client, "idiot")
    response = add(moderator_client, "ÍDIOT", "banned")
    assert "“idiot” is already on the suspect list" in response.content.decode()
    assert Term.objects.count() == 1


def test_removing_a_term_stops_it_matching(
    moderator_client: Client, reader: User, story: Story
) -> None:
    add(moderator_client, "quagga")
    assert screen(author=reader, story=story, text="quagga!").outcome == Outcome.HOLD
    term = Term.objects.get()
    moderator_client.post(f"/desk/terms/{term.pk}/remove/")
    assert not Term.objects.exists()
    assert screen(author=reader, story=story, text="quagga!").outcome == Outcome.PUBLISH
    assert AuditEntry.objects.filter(action="moderation:term:removed").count() == 1


def test_the_audit_log_lists_and_searches_every_decision(
    moderator_client: Client, make_comment: Callable[..., Comment]
) -> None:
    a = make_comment("first", status=Comment.Status.PENDING)
    b = make_comment("second", status=Comment.Status.PENDING)
    moderator_client.post(
        f"/desk/comment/{a.pk}/decide/", {"action": "approve", "revision": 1, "status": "pending"}
    )
    moderator_client.post(
        f"/desk/comment/{b.pk}/decide/",
        {"action": "reject", "revision": 1, "status": "pending", "reason": "Hate speech"},
    )
    page = moderator_client.get("/desk/audit/").content.decode()
    approved = f'Desk Moderator</a> approved <a href="/desk/comment/{a.pk}/">comment #{a.pk}</a>.'
    rejected = (
        f'Desk Moderator</a> rejected <a href="/desk/comment/{b.pk}/">comment #{b.pk}</a>: '
        "“Hate speech”."
    )
    assert approved in page
    assert rejected in page
    assert "moderation:comment:approved</code>" not in page  # no raw codes
    found = moderator_client.get("/desk/audit/", {"q": "hate"}).content.decode()
    assert rejected in found
    assert approved not in found
    by_id = moderator_client.get("/desk/audit/", {"q": f"#{a.pk}"}).content.decode()
    assert approved in by_id
    assert rejected not in by_id


def test_the_audit_log_cannot_be_changed_from_the_ui(moderator_client: Client) -> None:
    page = moderator_client.get("/desk/audit/").content.decode()
    log = page.split('<section aria-labelledby="audit-title">')[1].split("</section>")[0]
    assert 'method="post"' not in log
    assert moderator_client.post("/desk/audit/").status_code == 405
    assert moderator_client.delete("/desk/audit/").status_code == 405


def test_the_admin_shows_the_audit_log_read_only(
    make_comment: Callable[..., Comment], moderator: User
) -> None:
    from broadsheet.core.audit import record

    admin = User.objects.create_superuser("root@example.com", "pw-for-tests-123")
    entry = record(moderator, "moderation:comment:approved", make_comment("x"))
    client = Client()
    client.force_login(admin)
    assert client.get("/admin/core/auditentry/").status_code == 200
    change = client.get(f"/admin/core/auditentry/{entry.pk}/change/")
    assert change.status_code == 200
    assert b'name="_save"' not in change.content
    assert (
        client.post(f"/admin/core/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    assert AuditEntry.objects.filter(pk=entry.pk).exists()
