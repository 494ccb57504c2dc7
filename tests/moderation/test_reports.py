"""Readers report comments; enough reports hide a comment until a moderator decides."""

from collections.abc import Callable

import pytest
from django.db import IntegrityError
from django.test import Client, override_settings

from broadsheet.accounts.models import User
from broadsheet.comments.models import Comment
from broadsheet.core.models import AuditEntry
from broadsheet.moderation.models import Report
from broadsheet.stories.models import Story

from .conftest import make_user, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def comment(make_comment: Callable[..., Comment], another_reader: User) -> Comment:
    return make_comment("Something to report.", author=another_reader)


def url(comment: Comment) -> str:
    return f"/report/comment/{comment.pk}/"


def test_visitors_are_sent_to_sign_in(comment: Comment) -> None:
    response = Client().get(url(comment))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/?next=")
    assert Client().post(url(comment), {"reason": "spam"}).status_code == 302
    assert not Report.objects.exists()


def test_a_reader_reports_with_a_reason(
    reader_client: Client, reader: User, comment: Comment
) -> None:
    form = reader_client.get(url(comment)).content.decode()
    assert "Something to report." in form
    for label in ("abusive or hateful", "spam or advertising", "off-topic", "misinformation",
                  "something else"):  # fmt: skip
        assert label in form
    response = reader_client.post(url(comment), {"reason": "abuse", "text": "Name-calling"})
    assert response.status_code == 200
    assert "A moderator will look at this comment" in response.content.decode()
    report = Report.objects.get()
    assert (report.reader, report.comment, report.reason, report.text) == (
        reader, comment, "abuse", "Name-calling"
    )  # fmt: skip
    assert AuditEntry.objects.filter(action="moderation:comment:reported").count() == 1


def test_other_needs_an_explanation(reader_client: Client, comment: Comment) -> None:
    response = reader_client.post(url(comment), {"reason": "other", "text": "  "})
    assert response.status_code == 400
    assert "Tell us what is wrong" in response.content.decode()
    response = reader_client.post(url(comment), {"reason": "nonsense"})
    assert response.status_code == 400
    assert not Report.objects.exists()


def test_one_report_per_reader_per_comment(reader_client: Client, comment: Comment) -> None:
    reader_client.post(url(comment), {"reason": "spam"})
    again = reader_client.post(url(comment), {"reason": "abuse"})
    assert again.status_code == 200
    assert "already reported this comment" in again.content.decode()
    assert Report.objects.count() == 1


def test_the_database_enforces_one_report_per_reader(reader: User, comment: Comment) -> None:
    Report.objects.create(reader=reader, comment=comment, reason="spam")
    with pytest.raises(IntegrityError):
        Report.objects.create(reader=reader, comment=comment, reason="abuse")


def test_a_reader_cannot_report_their_own_comment(
    make_comment: Callable[..., Comment], reader_client: Client
) -> None:
    own = make_comment("Mine.")
    response = reader_client.post(url(own), {"reason": "spam"})
    assert response.status_code == 400
    assert "cannot report your own comment" in response.content.decode()


def test_rejected_and_missing_comments_cannot_be_reported(
    make_comment: Callable[..., Comment], reader_client: Client, another_reader: User
) -> None:
    gone = make_comment("Gone.", author=another_reader, status=Comment.Status.REJECTED)
    assert reader_client.get(url(gone)).status_code == 404
    assert reader_client.get("/report/comment/99999/").status_code == 404


def test_an_explanation_with_a_nul_character_is_refused(reader: User, comment: Comment) -> None:
    from broadsheet.core.exceptions import ServiceError
    from broadsheet.moderation import services

    with pytest.raises(ServiceError) as refused:
        services.report(reader, comment.pk, "other", "see \x00 here")
    assert refused.value.code == "invalid"
    assert not Report.objects.exists()


@override_settings(MODERATION_REPORT_THRESHOLD=3)
def test_the_third_report_hides_the_comment_until_reviewed(
    comment: Comment, story: Story, moderator_client: Client
) -> None:
    for n in range(3):
        assert (
            Client().get(story.get_absolute_url()).content.decode().count("Something to report.")
            == 1
        )
        client = signed_in(make_user(f"r{n}@example.com", f"Reader {n}"))
        client.post(url(comment), {"reason": "abuse"})
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING
    assert comment.status_reason == "reported"
    assert "Something to report." not in Client().get(story.get_absolute_url()).content.decode()
    assert AuditEntry.objects.filter(action="moderation:comment:hidden").count() == 1
    page = moderator_client.get("/desk/queue/reported/").content.decode()
    assert "Something to report." in page
    assert "3 open reports" in page
    # the moderator approves: it is back, and the reports are resolved
    moderator_client.post(
        f"/desk/comment/{comment.pk}/decide/",
        {"action": "approve", "revision": 1, "status": "pending"},
    )
    assert "Something to report." in Client().get(story.get_absolute_url()).content.decode()
    assert not Report.objects.filter(resolved_at__isnull=True).exists()


@override_settings(MODERATION_REPORT_THRESHOLD=2)
def test_the_threshold_is_a_setting(comment: Comment) -> None:
    for n in range(2):
        signed_in(make_user(f"r{n}@example.com")).post(url(comment), {"reason": "spam"})
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PENDING


def test_htmx_gets_the_form_fragment(reader_client: Client, comment: Comment) -> None:
    response = reader_client.post(url(comment), {"reason": "other"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200  # htmx swaps the form back with the error
    body = response.content.decode()
    assert body.lstrip().startswith('<div class="report"')
    assert "Tell us what is wrong" in body
