"""The desk's actions through HTTP: their effect on comments, the stream, the gate and the log."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from broadsheet.accounts.models import User
from broadsheet.comments.models import Comment
from broadsheet.core.models import AuditEntry
from broadsheet.moderation.models import Report
from broadsheet.stories.models import Story

from .conftest import signed_in

pytestmark = pytest.mark.django_db

Pending = Comment.Status.PENDING
Published = Comment.Status.PUBLISHED


def decide(client: Client, comment: Comment, action: str, reason: str = "", **extra: str):
    return client.post(
        reverse("moderation:decide", args=[comment.pk]),
        {"action": action, "revision": comment.revision, "status": comment.status,
         "reason": reason},
        **extra,
    )  # fmt: skip


def tab(title: str, slug: str, count: int) -> str:
    """A queue's tab with its count, as the site-wide desk shows it (live-updated)."""
    return (
        f'{title} <span id="queue-count-{slug}" class="desk-tabs__count" '
        f'data-queue-count="{slug}">{count}</span>'
    )


def story_page(story: Story) -> str:
    return Client().get(story.get_absolute_url()).content.decode()


def test_the_pending_queue_shows_the_comment_in_context(
    moderator_client: Client, make_comment: Callable[..., Comment], another_reader: User
) -> None:
    parent = make_comment("The levy is a good idea.", author=another_reader)
    held = make_comment(
        "You idiot, read the article.", status=Pending, parent=parent, toxicity=0.97,
        hold_reasons=["suspect words: idiot", "toxicity 0.97"],
    )  # fmt: skip
    page = moderator_client.get("/desk/").content.decode()
    assert "You idiot, read the article." in page
    assert "In reply to Quay Walker" in page
    assert "The levy is a good idea." in page
    # One verdict per check, in words: the text checks say what they found.
    assert "Suspect words: idiot" in page
    assert "Toxic (0.97)" in page
    assert "No spam signals" in page
    assert "No open reports" in page
    assert held.story.headline in page
    assert f'href="/desk/reader/{held.author_id}/"' in page


def test_approving_publishes_the_comment_in_the_stream_and_logs_it(
    moderator_client: Client, moderator: User, make_comment: Callable[..., Comment], story: Story
) -> None:
    held = make_comment("Waiting for a moderator.", status=Pending)
    assert "Waiting for a moderator." not in story_page(story)
    response = decide(moderator_client, held, "approve")
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.status == Published
    assert held.status_changed_by == moderator
    assert "Waiting for a moderator." in story_page(story)
    story.refresh_from_db()
    assert story.comment_count == 1
    entry = AuditEntry.objects.get(action="moderation:comment:approved")
    assert entry.actor == moderator
    assert entry.target_id == str(held.pk)
    assert entry.details["revision"] == 1


def test_rejecting_needs_a_reason_that_the_author_sees(
    moderator_client: Client, make_comment: Callable[..., Comment], story: Story
) -> None:
    comment = make_comment("Published, then reported.")
    response = decide(moderator_client, comment, "reject", reason="")
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.status == Published  # nothing changed
    follow = moderator_client.get(response["Location"])
    assert "Give the reason for rejecting" in follow.content.decode()

    decide(moderator_client, comment, "reject", reason="Personal attack")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.REJECTED
    assert comment.status_reason == "Personal attack"
    assert "Published, then reported." not in story_page(story)
    entry = AuditEntry.objects.get(action="moderation:comment:rejected")
    assert entry.reason == "Personal attack"


def test_featuring_works_only_on_published_comments(
    moderator_client: Client, make_comment: Callable[..., Comment]
) -> None:
    held = make_comment("Pending one", status=Pending)
    decide(moderator_client, held, "feature")
    held.refresh_from_db()
    assert not held.is_featured
    good = make_comment("A great first-hand account.")
    decide(moderator_client, good, "feature")
    good.refresh_from_db()
    assert good.is_featured
    assert AuditEntry.objects.filter(action="moderation:comment:featured").count() == 1
    decide(moderator_client, good, "unfeature")
    good.refresh_from_db()
    assert not good.is_featured


def test_approving_resolves_the_open_reports(
    moderator_client: Client,
    make_comment: Callable[..., Comment],
    another_reader: User,
) -> None:
    comment = make_comment("Reported but fine.", status=Pending, status_reason="reported")
    Report.objects.create(reader=another_reader, comment=comment, reason="abuse")
    assert "Reported but fine." in moderator_client.get("/desk/queue/reported/").content.decode()
    decide(moderator_client, comment, "approve")
    assert Report.objects.get().resolved_at is not None
    page = moderator_client.get("/desk/queue/reported/").content.decode()
    assert "Reported but fine." not in page


# --- two moderators --------------------------------------------------------------------------


def test_the_second_moderator_is_told_who_handled_it(
    moderator: User, second_moderator: User, make_comment: Callable[..., Comment]
) -> None:
    held = make_comment("Judge me once.", status=Pending)
    first, second = signed_in(moderator), signed_in(second_moderator)
    decide(first, held, "approve")  # `held` still says pending, revision 1: what both saw
    response = decide(second, held, "reject", reason="Off-topic")
    message = second.get(response["Location"]).content.decode()
    assert "Desk Moderator already handled this comment" in message
    assert "published" in message
    held.refresh_from_db()
    assert held.status == Published
    assert AuditEntry.objects.filter(target_id=str(held.pk)).count() == 1


def test_a_decision_on_an_edited_comment_is_not_applied(
    moderator_client: Client, make_comment: Callable[..., Comment]
) -> None:
    held = make_comment("Original text.", status=Pending)
    Comment.objects.filter(pk=held.pk).update(revision=2, body="Edited text.")
    response = decide(moderator_client, held, "approve", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    page = response.content.decode()
    assert "edited this comment after you opened it" in page
    assert 'value="2"' in page  # the item now carries the new revision
    held.refresh_from_db()
    assert held.status == Pending
    assert not AuditEntry.objects.exists()


def test_the_same_moderator_twice_is_not_applied_twice(
    moderator_client: Client, make_comment: Callable[..., Comment], story: Story
) -> None:
    held = make_comment("Double click.", status=Pending)
    decide(moderator_client, held, "approve")
    response = decide(moderator_client, held, "approve", HTTP_HX_REQUEST="true")
    assert "You already handled this comment" in response.content.decode()
    story.refresh_from_db()
    assert story.comment_count == 1
    assert AuditEntry.objects.count() == 1


def test_htmx_decisions_return_the_item_marked_done(
    moderator_client: Client, make_comment: Callable[..., Comment]
) -> None:
    held = make_comment("Quick approve.", status=Pending)
    response = decide(moderator_client, held, "approve", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    page = response.content.decode()
    assert page.lstrip().startswith("<article")
    assert "Approved." in page
    assert "desk-item--done" in page


# --- bulk ------------------------------------------------------------------------------------


def test_bulk_approve_applies_each_and_reports_the_stale_ones(
    moderator_client: Client, moderator: User, make_comment: Callable[..., Comment]
) -> None:
    a = make_comment("one", status=Pending)
    b = make_comment("two", status=Pending)
    c = make_comment("three", status=Pending)
    Comment.objects.filter(pk=c.pk).update(revision=2)
    items = [f"{x.pk}:1:pending" for x in (a, b, c)]
    response = moderator_client.post(
        "/desk/bulk/", {"item": items, "action": "approve"}, follow=True
    )
    page = response.content.decode()
    assert "2 of 3 comments approved" in page
    assert f"Comment #{c.pk}: The author edited" in page
    statuses = dict(Comment.objects.values_list("pk", "status"))
    assert statuses == {a.pk: Published, b.pk: Published, c.pk: Pending}


def test_bulk_reject_needs_a_reason_and_a_selection(
    moderator_client: Client, make_comment: Callable[..., Comment]
) -> None:
    a = make_comment("one", status=Pending)
    page = moderator_client.post(
        "/desk/bulk/", {"item": [f"{a.pk}:1:pending"], "action": "reject"}, follow=True
    ).content.decode()
    assert "Give the reason for rejecting" in page
    page = moderator_client.post("/desk/bulk/", {"action": "approve"}, follow=True)
    assert "Select at least one comment" in page.content.decode()
    page = moderator_client.post(
        "/desk/bulk/", {"item": ["nonsense"], "action": "approve"}, follow=True
    )
    assert "could not be read" in page.content.decode()
    a.refresh_from_db()
    assert a.status == Pending
    moderator_client.post(
        "/desk/bulk/", {"item": [f"{a.pk}:1:pending"], "action": "reject", "reason": "Spam"}
    )
    a.refresh_from_db()
    assert (a.status, a.status_reason) == (Comment.Status.REJECTED, "Spam")


# --- queues ------------------------------------------------------------------------------------


def test_each_tab_shows_its_count_site_wide_and_per_story(
    moderator_client: Client,
    make_comment: Callable[..., Comment],
    story: Story,
    other_story: Story,
    another_reader: User,
) -> None:
    make_comment("held here", status=Pending)
    make_comment("held there", status=Pending, on=other_story)
    make_comment("flagged but published", toxicity=0.95)
    make_comment("rejected one", status=Comment.Status.REJECTED)
    reported = make_comment("reported one")
    Report.objects.create(reader=another_reader, comment=reported, reason="spam")

    site = moderator_client.get("/desk/").content.decode()
    assert tab("Pending", "pending", 2) in site
    assert tab("Reported", "reported", 1) in site
    assert tab("Flagged by the model", "flagged", 1) in site
    assert tab("Rejected", "rejected", 1) in site
    assert "held here" in site
    assert "held there" in site

    one = moderator_client.get(f"/desk/?story={other_story.pk}").content.decode()
    assert 'Pending <span id="queue-count-pending" class="desk-tabs__count">1</span>' in one
    assert "held there" in one
    assert "held here" not in one
    assert "Showing comments on" in one

    flagged = moderator_client.get("/desk/queue/flagged/").content.decode()
    assert "flagged but published" in flagged
    assert "held here" not in flagged
    old = make_comment("from last week")
    Comment.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=7))
    recent = moderator_client.get("/desk/queue/recent/").content.decode()
    assert tab("Recent", "recent", 5) in recent
    assert "flagged but published" in recent
    assert "from last week" not in recent
    rejected = moderator_client.get("/desk/queue/rejected/").content.decode()
    assert "rejected one" in rejected
    assert moderator_client.get("/desk/queue/nonsense/").status_code == 404


def test_the_item_page_shows_author_history_and_names(
    moderator_client: Client,
    make_comment: Callable[..., Comment],
    reader: User,
) -> None:
    make_comment("an old rejected one", status=Comment.Status.REJECTED)
    held = make_comment("Current one.", status=Pending, toxicity=0.81)
    page = moderator_client.get(f"/desk/comment/{held.pk}/").content.decode()
    assert "Harbour Watcher" in page  # display name (history)
    assert "an old rejected one" in page
    assert "<dt>Rejected</dt><dd>1</dd>" in page
    assert "Toxic (0.81)" in page


def test_each_check_gives_a_verdict_in_words_and_colour(
    moderator_client: Client, make_comment: Callable[..., Comment]
) -> None:
    make_comment(
        "Cheap pills at https://bit.ly/x", status=Pending, toxicity=0.02,
        hold_reasons=["spam: link, short link"],
    )  # fmt: skip
    page = moderator_client.get("/desk/").content.decode()
    assert (
        '<li class="desk-check desk-check--bad"><span class="desk-check__level">Problem</span> '
        '<span class="desk-check__name">Spam:</span> Looks like spam: link, short link</li>'
    ) in page
    assert (
        '<li class="desk-check desk-check--ok"><span class="desk-check__level">Clear</span> '
        '<span class="desk-check__name">Toxicity:</span> Not toxic (0.02)</li>'
    ) in page
    assert "score 0.02" not in page
    assert "Word lists:</span> No listed words" in page  # spam is not read as a phrase
