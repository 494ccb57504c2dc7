"""The desk's newer pages: the audit log's filters, private notes, word-list search,
triage by story and the dashboard, each against data whose answer is known."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from broadsheet.accounts.models import User
from broadsheet.comments.models import Comment
from broadsheet.core.audit import record
from broadsheet.core.models import AuditEntry
from broadsheet.moderation import services
from broadsheet.moderation.dashboard import dashboard
from broadsheet.moderation.models import ReaderNote, Report, Term
from broadsheet.stories.models import Story

from .conftest import signed_in

pytestmark = pytest.mark.django_db

Pending = Comment.Status.PENDING


def seen(comment: Comment) -> services.Seen:
    return services.Seen(comment.revision, comment.status)


# --- the audit log ---------------------------------------------------------------------------


def test_the_audit_log_filters_by_action_moderator_and_date(
    moderator: User,
    second_moderator: User,
    make_comment: Callable[..., Comment],
    moderator_client: Client,
) -> None:
    first = make_comment("one", status=Pending)
    second = make_comment("two", status=Pending)
    services.decide(moderator, first.pk, "approve", seen=seen(first))
    services.decide(second_moderator, second.pk, "reject", seen=seen(second), reason="Spam")
    old = AuditEntry.objects.get(target_id=str(first.pk))
    AuditEntry.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=10))

    def shown(**filters: Any) -> str:
        return moderator_client.get("/desk/audit/", filters).content.decode()

    one = f"comment #{first.pk}</a>."
    two = f"comment #{second.pk}</a>:"
    by_action = shown(action="moderation:comment:rejected")
    assert two in by_action
    assert one not in by_action
    by_moderator = shown(moderator=moderator.pk)
    assert one in by_moderator
    assert two not in by_moderator
    recent = shown(since=(timezone.localdate() - timedelta(days=2)).isoformat())
    assert two in recent
    assert one not in recent
    older = shown(until=(timezone.localdate() - timedelta(days=5)).isoformat())
    assert one in older
    assert two not in older
    # The filters offer actions in words and moderators by name.
    assert '<option value="moderation:comment:rejected">Comment rejected</option>' in recent
    assert f'<option value="{second_moderator.pk}">Night Moderator</option>' in recent
    # A bad date is ignored, with a word; the other filters still apply.
    bad = shown(since="not-a-date", action="moderation:comment:rejected")
    assert "Enter a valid date." in bad
    assert two in bad


def test_the_log_names_readers_without_their_e_mail_address(
    moderator: User, reader: User, moderator_client: Client
) -> None:
    services.sanction(moderator, reader.pk, "warning", reason="Personal attacks")
    record(reader, "accounts:email:verified", reader, email=reader.email)
    page = moderator_client.get("/desk/audit/").content.decode()
    assert (
        f'Desk Moderator</a> warned <a href="/desk/reader/{reader.pk}/">Harbour Watcher</a>: '
        "“Personal attacks”." in page
    )
    assert reader.email not in page
    # Searching by e-mail address finds nothing.
    by_email = moderator_client.get("/desk/audit/", {"q": reader.email}).content.decode()
    assert "No entries." in by_email
    # The moderator who opens the reader sees it.
    assert reader.email in moderator_client.get(f"/desk/reader/{reader.pk}/").content.decode()


# --- private notes ---------------------------------------------------------------------------


def test_a_private_note_is_for_the_desk_only_and_logged(
    moderator_client: Client, moderator: User, reader: User, reader_client: Client
) -> None:
    url = f"/desk/reader/{reader.pk}/notes/"
    text = "Argues in good faith; warned once about tone."
    page = moderator_client.post(url, {"text": text}, follow=True).content.decode()
    assert "Note added. Only the desk can read it." in page
    assert text in page
    note = ReaderNote.objects.get()
    assert (note.reader, note.written_by) == (reader, moderator)
    entry = AuditEntry.objects.get(action="moderation:note:added")
    assert entry.details == {"reader": reader.pk}
    assert text not in entry.reason  # the log says a note was added, not what

    # The reader never sees it: not their pages, not the API, not the desk.
    assert reader_client.post(url, {"text": "I am fine"}).status_code == 403
    assert reader_client.get(f"/desk/reader/{reader.pk}/").status_code == 403
    for address in ("/accounts/profile/", "/accounts/comments/", "/api/accounts/me"):
        answer = reader_client.get(address)
        assert text not in answer.content.decode(), address
    assert ReaderNote.objects.count() == 1


def test_an_empty_or_long_note_is_refused(moderator_client: Client, reader: User) -> None:
    url = f"/desk/reader/{reader.pk}/notes/"
    assert (
        "Note: This field is required."
        in moderator_client.post(url, {"text": ""}, follow=True).content.decode()
    )
    too_long = moderator_client.post(url, {"text": "x" * 2001}, follow=True).content.decode()
    assert "at most 2000 characters" in too_long
    assert moderator_client.post("/desk/reader/999999/notes/", {"text": "hi"}).status_code == 404
    assert not ReaderNote.objects.exists()


# --- word lists ------------------------------------------------------------------------------


def test_the_word_lists_can_be_searched_and_are_collapsible(
    moderator: User, moderator_client: Client
) -> None:
    for word in ("quagga", "zebra", "zebu"):
        services.add_term(moderator, word, "suspect", note="animal")
    services.add_term(moderator, "scumbag", "banned")
    page = moderator_client.get("/desk/terms/").content.decode()
    assert page.count("<details") == 2
    assert 'placeholder="Find a word or note"' in page
    found = moderator_client.get("/desk/terms/", {"q": "ZEB"}).content.decode()
    assert "2 terms match “ZEB”." in found
    assert '<span class="desk-term">zebra</span>' in found
    assert '<span class="desk-term">quagga</span>' not in found
    assert "No term on this list matches." in found  # the banned list
    assert Term.objects.count() == 4


# --- triage by story -------------------------------------------------------------------------


def test_stories_are_ordered_by_comments_waiting_with_counts_per_queue(
    moderator_client: Client,
    make_comment: Callable[..., Comment],
    story: Story,
    other_story: Story,
    another_reader: User,
) -> None:
    make_comment("held here", status=Pending)
    for n in range(3):
        make_comment(f"held there {n}", status=Pending, on=other_story)
    reported = make_comment("reported here")
    Report.objects.create(reader=another_reader, comment=reported, reason="spam")
    make_comment("toxic here", toxicity=0.99)
    page = moderator_client.get("/desk/stories/").content.decode()
    assert page.index(other_story.headline) < page.index(story.headline)
    assert f'<a href="/desk/?story={other_story.pk}"><strong>3</strong></a>' in page
    assert f'<a href="/desk/?story={story.pk}"><strong>1</strong></a>' in page
    assert f'<a href="/desk/queue/reported/?story={story.pk}">1</a>' in page
    assert f'<a href="/desk/queue/flagged/?story={story.pk}">1</a>' in page
    # From there, the desk filtered to the story.
    desk = moderator_client.get(f"/desk/?story={other_story.pk}").content.decode()
    assert "held there 0" in desk
    assert "held here" not in desk


def test_triage_is_empty_when_nothing_waits(moderator_client: Client) -> None:
    assert (
        "No story has comments waiting." in moderator_client.get("/desk/stories/").content.decode()
    )


# --- the dashboard ---------------------------------------------------------------------------


def test_the_dashboard_counts_known_data(
    moderator: User,
    second_moderator: User,
    make_comment: Callable[..., Comment],
    settings: Any,
) -> None:
    now = timezone.now()

    def posted(text: str, hours_ago: float, **fields: Any) -> Comment:
        comment = make_comment(text, **fields)
        Comment.objects.filter(pk=comment.pk).update(created_at=now - timedelta(hours=hours_ago))
        comment.refresh_from_db()
        return comment

    a = posted("held a", 30, status=Pending, hold_reasons=["toxicity 0.91"])
    b = posted("held b", 26, status=Pending, hold_reasons=["spam: link", "new reader"])
    c = posted("held c", 5, status=Pending, hold_reasons=["spam: short link"])
    posted("fine", 2)
    posted("long ago", 24 * 40)  # outside the month
    # Decisions 1, 2 and 4 hours after posting; one more that is undone.
    for comment, action, by, reason in (
        (a, "approve", moderator, ""),
        (b, "reject", moderator, "Spam or advertising"),
        (c, "reject", second_moderator, "Spam or advertising"),
    ):
        services.decide(by, comment.pk, action, seen=seen(comment), reason=reason)
    waits = {a.pk: 1, b.pk: 2, c.pk: 4}
    for entry in AuditEntry.objects.filter(action__startswith="moderation:comment:"):
        posted_at = Comment.objects.get(pk=entry.target_id).created_at
        AuditEntry.objects.filter(pk=entry.pk).update(
            created_at=posted_at + timedelta(hours=waits[int(entry.target_id)])
        )
    undone = posted("undone", 1, status=Pending)
    services.decide(moderator, undone.pk, "approve", seen=seen(undone))
    services.undo(moderator, undone.pk)

    week = dashboard(7, now=now)
    assert week.comments == 5  # a, b, c, fine, undone
    assert week.held == 3
    assert week.held_share == pytest.approx(0.6)
    assert week.decisions == 3  # the undone approval does not count
    assert week.median_wait == timedelta(hours=2)
    assert [(m.name, m.approved, m.rejected) for m in week.moderators] == [
        ("Desk Moderator", 1, 1),
        ("Night Moderator", 0, 1),
    ]
    assert week.hold_reasons[0] == ("spam", 2)
    assert ("toxicity", 1) in week.hold_reasons
    assert week.reject_reasons == [("Spam or advertising", 2)]
    assert len(week.per_day) == 7
    assert sum(n for _, n in week.per_day) == 5

    month = dashboard(30, now=now)
    assert month.comments == 5
    assert len(month.per_day) == 30


def test_the_dashboard_page_shows_the_figures(
    moderator_client: Client, make_comment: Callable[..., Comment]
) -> None:
    make_comment("held", status=Pending, hold_reasons=["spam: link"])
    make_comment("fine")
    page = moderator_client.get("/desk/dashboard/").content.decode()
    assert "Comments per day" in page
    assert "<dt>Held for review</dt><dd>50%" in page
    assert "Median time to a decision" in page
    assert 'aria-current="page">Last week</a>' in page
    month = moderator_client.get("/desk/dashboard/", {"period": "month"}).content.decode()
    assert 'aria-current="page">Last month</a>' in month
    # An unknown period falls back to the week.
    odd = moderator_client.get("/desk/dashboard/", {"period": "decade"}).content.decode()
    assert 'aria-current="page">Last week</a>' in odd


def test_editors_without_sanction_rights_still_see_the_desk_pages(editor: User) -> None:
    client = signed_in(editor)
    for page in ("/desk/stories/", "/desk/dashboard/", "/desk/quiet-hours/", "/desk/audit/"):
        assert client.get(page).status_code == 200, page
