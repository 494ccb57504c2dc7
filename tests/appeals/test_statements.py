"""Each rejection and sanction tells the reader what, why, how, the guideline and how to appeal."""

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from broadsheet.accounts.models import User
from broadsheet.appeals.models import Statement
from broadsheet.comments.models import Comment
from broadsheet.core.models import AuditEntry
from broadsheet.moderation import services as moderation
from broadsheet.stories.models import Story

from .conftest import signed_in

pytestmark = pytest.mark.django_db


def reject(client: Client, comment: Comment, reason: str, **extra: str) -> Any:
    return client.post(
        f"/desk/comment/{comment.pk}/decide/",
        {"action": "reject", "revision": comment.revision, "status": comment.status,
         "reason": reason, **extra},
        follow=True,
    )  # fmt: skip


def test_a_rejection_records_a_statement_shown_on_my_comments_and_emailed(
    moderator_client: Client,
    moderator: User,
    reader: User,
    reader_client: Client,
    make_comment: Callable[..., Comment],
    django_capture_on_commit_callbacks: Any,
) -> None:
    comment = make_comment("You are an idiot and so is everyone here.")
    with django_capture_on_commit_callbacks(execute=True):
        reject(moderator_client, comment, "Personal attack")
    statement = Statement.objects.get()
    assert (statement.reader, statement.comment, statement.decided_by) == (
        reader, comment, moderator
    )  # fmt: skip
    assert statement.ground == "personal_attack"  # from the desk's suggested reason
    assert statement.guideline is not None
    assert statement.guideline.slug == "respect"
    assert not statement.automatic
    entry = AuditEntry.objects.get(action="moderation:comment:rejected")
    assert entry.details["ground"] == "personal_attack"
    assert entry.details["statement"] == statement.pk

    page = reader_client.get("/accounts/comments/").content.decode()
    assert "A personal attack" in page
    assert "by a moderator" in page
    assert 'href="/guidelines/#respect"' in page
    assert f'href="/accounts/decisions/{statement.pk}/"' in page
    assert "Appeal this decision" in page

    [sent] = [m for m in mail.outbox if "moderation decision" in m.subject]
    assert sent.to == [reader.email]
    assert "A personal attack" in sent.body
    assert "by a moderator" in sent.body
    assert f"/accounts/decisions/{statement.pk}/" in sent.body
    assert "/guidelines/#respect" in sent.body


def test_the_moderator_may_choose_the_ground_and_guideline(
    moderator_client: Client, make_comment: Callable[..., Comment]
) -> None:
    comment = make_comment("Buy cheap watches at my shop.")
    reject(moderator_client, comment, "Selling watches", ground="spam", guideline="no-spam")
    statement = Statement.objects.get()
    assert (statement.ground, statement.guideline.slug) == ("spam", "no-spam")  # type: ignore[union-attr]
    assert statement.text == "Selling watches"


def test_an_unknown_ground_or_guideline_changes_nothing(
    moderator: User, make_comment: Callable[..., Comment]
) -> None:
    comment = make_comment("Something")
    seen = moderation.Seen(comment.revision, comment.status)
    for extra, message in (
        ({"ground": "ugly"}, "Choose the ground"),
        ({"guideline": "no-such-rule"}, "no community guideline"),
    ):
        with pytest.raises(Exception, match=message):
            moderation.decide(moderator, comment.pk, "reject", seen=seen, reason="x", **extra)
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PUBLISHED
    assert not Statement.objects.exists()
    assert not AuditEntry.objects.filter(action="moderation:comment:rejected").exists()


def test_a_suspension_shows_its_reason_and_the_way_to_appeal_in_the_gate(
    moderator_client: Client,
    reader: User,
    reader_client: Client,
    story: Story,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        moderator_client.post(
            f"/desk/reader/{reader.pk}/sanction/",
            {"kind": "suspension", "reason": "Repeated insults", "duration": "3d"},
        )
    statement = Statement.objects.get()
    assert statement.decision == "suspension"
    assert statement.ends_at is not None
    stream = reader_client.get(
        f"/comments/story/{story.pk}/", HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "Your commenting is suspended until" in stream
    assert "Reason: another breach of the community guidelines (Repeated insults)." in stream
    assert (
        f'<a href="/accounts/decisions/{statement.pk}/">See the decision and how to appeal it</a>'
        in stream
    )
    api = json.loads(reader_client.get(f"/api/comments/stories/{story.slug}/gate").content)
    assert "Repeated insults" in api["message"]  # the API answers the same decision
    [sent] = [m for m in mail.outbox if "moderation decision" in m.subject]
    assert "suspended" in sent.subject
    assert "Repeated insults" in sent.body


def test_premoderation_and_bans_are_listed_on_my_comments(
    moderator: User, reader: User, reader_client: Client
) -> None:
    moderation.sanction(moderator, reader.pk, "premoderation", reason="Spam links", ground="spam")
    page = reader_client.get("/accounts/comments/").content.decode()
    assert "Your comments are checked before they appear" in page
    assert "Spam or advertising" in page
    assert 'href="/guidelines/#no-spam"' in page
    decisions = reader_client.get("/accounts/decisions/").content.decode()
    assert "Spam links" in decisions


def test_a_warning_records_no_statement(moderator: User, reader: User) -> None:
    moderation.sanction(moderator, reader.pk, "warning", reason="Mind your tone")
    assert not Statement.objects.exists()


def test_a_comment_hidden_by_reports_gets_an_automatic_statement(
    reader: User,
    another_reader: User,
    make_comment: Callable[..., Comment],
    settings: Any,
) -> None:
    from tests.moderation.conftest import make_user

    comment = make_comment("Something disputed")
    third = make_user("third@example.com", "Third Reader")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("broadsheet.moderation.conf.report_threshold", lambda: 2)
        moderation.report(another_reader, comment.pk, "spam")
        moderation.report(third, comment.pk, "spam")
    statement = Statement.objects.get()
    assert statement.decision == "comment_hidden"
    assert statement.automatic
    assert statement.decided_by is None
    assert statement.ground == "spam"
    page = signed_in(reader).get(statement.get_absolute_url()).content.decode()
    assert "automatically, without a moderator" in page


def test_nobody_else_sees_a_readers_decision(
    moderator: User, reader: User, another_reader: User, make_comment: Callable[..., Comment]
) -> None:
    comment = make_comment("x")
    moderation.decide(
        moderator, comment.pk, "reject", seen=moderation.Seen(1, "published"), reason="Off-topic"
    )
    statement = Statement.objects.get()
    assert signed_in(another_reader).get(statement.get_absolute_url()).status_code == 404
    assert Client().get(statement.get_absolute_url()).status_code == 302  # sign in first
