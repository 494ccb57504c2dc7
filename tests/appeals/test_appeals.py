"""An appeal end to end: the reader writes once; another moderator upholds or reverses it."""

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from broadsheet.accounts.models import User
from broadsheet.appeals import services as appeals
from broadsheet.appeals.models import Appeal, Statement
from broadsheet.comments.models import Comment
from broadsheet.core.exceptions import ServiceError
from broadsheet.core.models import AuditEntry
from broadsheet.live.log import event_log
from broadsheet.moderation import services as moderation
from broadsheet.moderation.sanctions import commenting_sanction
from broadsheet.stories.models import Story

from .conftest import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def rejected(moderator: User, make_comment: Callable[..., Comment]) -> Statement:
    comment = make_comment("The council is full of crooks, all of them.")
    moderation.decide(
        moderator, comment.pk, "reject", seen=moderation.Seen(1, "published"),
        reason="Personal attack",
    )  # fmt: skip
    return Statement.objects.get(comment=comment)


def test_a_rejected_comment_is_appealed_and_restored_by_another_moderator(
    rejected: Statement,
    reader: User,
    reader_client: Client,
    moderator_client: Client,
    second_moderator: User,
    story: Story,
    django_capture_on_commit_callbacks: Any,
) -> None:
    url = rejected.get_absolute_url()
    assert "Appeal this decision" in reader_client.get(url).content.decode()
    response = reader_client.post(url, {"text": "I named no one; it was about the policy."})
    assert response.status_code == 302
    found = Appeal.objects.get()
    assert (found.statement, found.status) == (rejected, Appeal.Status.OPEN)
    assert AuditEntry.objects.filter(action="appeals:appeal:submitted").count() == 1
    page = reader_client.get(url).content.decode()
    assert "Waiting for a moderator" in page
    assert "Send my appeal" not in page  # once per decision
    again = reader_client.post(url, {"text": "Again"})
    assert again.status_code == 400
    assert "You have already appealed this decision." in again.content.decode()
    assert Appeal.objects.count() == 1

    # The desk lists it; the moderator who decided cannot judge it.
    queue = moderator_client.get("/desk/appeals/").content.decode()
    assert f"/desk/appeals/{found.pk}/" in queue
    assert "you: another moderator must judge it" in queue
    own = moderator_client.get(f"/desk/appeals/{found.pk}/").content.decode()
    assert "You took this decision, so another moderator must judge the appeal." in own
    refused = moderator_client.post(
        f"/desk/appeals/{found.pk}/", {"outcome": "reverse", "response": "Fine by me"}
    )
    assert refused.status_code == 400
    assert "another moderator must judge the appeal" in refused.content.decode()
    found.refresh_from_db()
    assert found.status == Appeal.Status.OPEN
    assert Comment.objects.get(pk=rejected.comment_id).status == Comment.Status.REJECTED

    # Another moderator reverses it: the comment is back, live, and the reader is told.
    start = event_log().head()
    with django_capture_on_commit_callbacks(execute=True):
        done = signed_in(second_moderator).post(
            f"/desk/appeals/{found.pk}/",
            {"outcome": "reverse", "response": "Criticism of the council is fair comment."},
        )
    assert done.status_code == 302
    comment = Comment.objects.get(pk=rejected.comment_id)
    assert comment.status == Comment.Status.PUBLISHED
    assert Story.objects.get(pk=story.pk).comment_count == 1
    public = [e.name for e in event_log().since([f"story:{story.pk}"], start)]
    assert "comment" in public
    assert "council is full of crooks" in Client().get(story.get_absolute_url()).content.decode()
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"appeals:appeal:reversed", "moderation:comment:restored"} <= actions
    page = reader_client.get(url).content.decode()
    assert "Decision reversed" in page
    assert "Criticism of the council is fair comment." in page
    [sent] = [m for m in mail.outbox if "appeal" in m.subject.lower()]
    assert sent.to == [reader.email]
    assert "reversed" in sent.subject
    assert "Your comment is published again." in sent.body


def test_an_upheld_appeal_changes_nothing_but_tells_the_reader(
    rejected: Statement, reader: User, second_moderator: User,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    found = appeals.appeal(reader, rejected.pk, "Please look again.")
    with django_capture_on_commit_callbacks(execute=True):
        appeals.handle(second_moderator, found.pk, "uphold", response="It names a person.")
    assert Comment.objects.get(pk=rejected.comment_id).status == Comment.Status.REJECTED
    assert Appeal.objects.get().status == Appeal.Status.UPHELD
    [sent] = [m for m in mail.outbox if "appeal" in m.subject.lower()]
    assert "upheld" in sent.subject
    assert "It names a person." in sent.body
    with pytest.raises(ServiceError, match="already handled"):
        appeals.handle(second_moderator, found.pk, "reverse", response="Changed my mind")


def test_a_suspension_lifted_on_appeal_lets_the_reader_comment(
    moderator: User, second_moderator: User, reader: User, story: Story
) -> None:
    moderation.sanction(moderator, reader.pk, "suspension", reason="Abuse",
                        duration=__import__("datetime").timedelta(days=7))  # fmt: skip
    statement = Statement.objects.get()
    found = appeals.appeal(reader, statement.pk, "It was a joke between friends.")
    with pytest.raises(ServiceError, match="another moderator"):
        appeals.handle(moderator, found.pk, "reverse", response="ok")
    appeals.handle(second_moderator, found.pk, "reverse", response="Accepted.")
    assert commenting_sanction(reader) is None
    lifted = AuditEntry.objects.get(action="moderation:sanction:lifted")
    assert lifted.details["appeal"] == found.pk


def test_editors_may_not_judge_appeals_against_sanctions(
    moderator: User, editor: User, reader: User
) -> None:
    moderation.sanction(moderator, reader.pk, "ban", reason="Threats", ground="threat")
    found = appeals.appeal(reader, Statement.objects.get().pk, "Not me.")
    with pytest.raises(ServiceError, match="Only moderators"):
        appeals.handle(editor, found.pk, "reverse", response="ok")


def test_an_automatic_decision_may_be_judged_by_any_moderator(
    moderator: User, reader: User, make_comment: Callable[..., Comment]
) -> None:
    from broadsheet.appeals import statements

    comment = make_comment("held", status=Comment.Status.PENDING)
    statement = statements.issue(
        reader, Statement.Decision.COMMENT_HIDDEN, ground="spam", automatic=True, comment=comment
    )
    found = appeals.appeal(reader, statement.pk, "Not spam.")
    appeals.handle(moderator, found.pk, "reverse", response="Not spam indeed.")
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.PUBLISHED


@pytest.mark.parametrize(
    ("text", "message"),
    [("  ", "This field is required."), ("x" * 1001, "at most 1000 characters")],
)
def test_bad_appeals_are_refused_and_store_nothing(
    rejected: Statement, reader_client: Client, text: str, message: str
) -> None:
    response = reader_client.post(rejected.get_absolute_url(), {"text": text})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Appeal.objects.exists()


def test_a_reader_cannot_appeal_someone_elses_decision(
    rejected: Statement, another_reader: User
) -> None:
    with pytest.raises(ServiceError, match="no such decision"):
        appeals.appeal(another_reader, rejected.pk, "Me too")
    assert (
        signed_in(another_reader).post(rejected.get_absolute_url(), {"text": "x"}).status_code
        == 404
    )


def test_the_api_lists_and_judges_appeals(
    rejected: Statement, reader: User, moderator: User, second_moderator: User,
) -> None:  # fmt: skip
    found = appeals.appeal(reader, rejected.pk, "Please look again.")
    listed = signed_in(second_moderator).get("/api/moderation/appeals")
    assert listed.status_code == 200
    assert [a["id"] for a in listed.json()["items"]] == [found.pk]
    own = signed_in(moderator).post(
        f"/api/moderation/appeals/{found.pk}/decision",
        json.dumps({"outcome": "reverse", "response": "ok"}), content_type="application/json",
    )  # fmt: skip
    assert own.status_code == 403
    assert own.json()["code"] == "own_decision"
    done = signed_in(second_moderator).post(
        f"/api/moderation/appeals/{found.pk}/decision",
        json.dumps({"outcome": "reverse", "response": "Fair comment."}),
        content_type="application/json",
    )
    assert done.status_code == 200
    assert done.json()["status"] == "reversed"
    assert signed_in(reader).get("/api/moderation/appeals").status_code == 403


def test_a_hidden_comment_approved_meanwhile_has_nothing_to_appeal(
    moderator: User, reader: User, reader_client: Client, make_comment: Callable[..., Comment]
) -> None:
    from broadsheet.appeals import statements

    comment = make_comment("held", status=Comment.Status.PENDING)
    statement = statements.issue(
        reader, Statement.Decision.COMMENT_HIDDEN, ground="spam", automatic=True, comment=comment
    )
    moderation.decide(moderator, comment.pk, "approve", seen=moderation.Seen(1, "pending"))
    page = reader_client.get(statement.get_absolute_url()).content.decode()
    assert "nothing to appeal" in page
    assert "Send my appeal" not in page
    with pytest.raises(ServiceError, match="nothing to appeal"):
        appeals.appeal(reader, statement.pk, "Please")
