"""Undo after a decision: the comment, its reports, the counts and the log go back as they were."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from broadsheet.accounts.models import User
from broadsheet.comments.models import Comment
from broadsheet.core.exceptions import ServiceError
from broadsheet.core.models import AuditEntry
from broadsheet.moderation import services
from broadsheet.moderation.models import Decision, Report
from broadsheet.moderation.queries import queue_counts
from broadsheet.stories.models import Story

pytestmark = pytest.mark.django_db

Pending = Comment.Status.PENDING
Published = Comment.Status.PUBLISHED


def seen(comment: Comment) -> services.Seen:
    return services.Seen(comment.revision, comment.status)


def test_undoing_an_approval_puts_the_comment_back_in_the_queue_and_logs_it(
    moderator: User, make_comment: Callable[..., Comment], another_reader: User, story: Story
) -> None:
    held = make_comment("Hidden after reports.", status=Pending, status_reason="reported")
    report = Report.objects.create(reader=another_reader, comment=held, reason="spam")
    services.decide(moderator, held.pk, "approve", seen=seen(held))
    assert queue_counts()["pending"] == 0
    assert Decision.objects.filter(comment=held).count() == 1
    story.refresh_from_db()
    assert story.comment_count == 1

    services.undo(moderator, held.pk)

    held.refresh_from_db()
    report.refresh_from_db()
    story.refresh_from_db()
    assert (held.status, held.status_reason) == (Pending, "reported")
    assert report.resolved_at is None  # the report is open again
    assert Decision.objects.filter(comment=held).count() == 0  # the model does not learn it
    assert queue_counts()["pending"] == 1
    assert queue_counts()["reported"] == 1
    assert story.comment_count == 0
    entry = AuditEntry.objects.filter(action="moderation:comment:undone").get()
    assert entry.actor == moderator
    assert entry.details["undone"] == "approved"
    assert entry.details["restored"] == Pending


def test_undoing_a_rejection_restores_a_featured_published_comment(
    moderator: User, make_comment: Callable[..., Comment]
) -> None:
    pick = make_comment("An editors' pick.", is_featured=True)
    services.decide(moderator, pick.pk, "reject", seen=seen(pick), reason="Off topic")
    pick.refresh_from_db()
    assert (pick.status, pick.is_featured) == (Comment.Status.REJECTED, False)
    services.undo(moderator, pick.pk)
    pick.refresh_from_db()
    assert (pick.status, pick.is_featured, pick.status_reason) == (Published, True, "")


def test_undo_is_refused_once_someone_else_decided_or_too_late(
    moderator: User, second_moderator: User, make_comment: Callable[..., Comment]
) -> None:
    held = make_comment("Waiting.", status=Pending)
    services.decide(moderator, held.pk, "approve", seen=seen(held))
    held.refresh_from_db()
    services.decide(second_moderator, held.pk, "reject", seen=seen(held), reason="Spam")
    with pytest.raises(ServiceError) as refused:
        services.undo(moderator, held.pk)
    assert "Night Moderator decided on this comment after you" in refused.value.message
    held.refresh_from_db()
    assert held.status == Comment.Status.REJECTED  # nothing changed

    late = make_comment("Old decision.", status=Pending)
    services.decide(moderator, late.pk, "approve", seen=seen(late))
    AuditEntry.objects.filter(target_id=str(late.pk)).update(
        created_at=timezone.now() - timedelta(minutes=5)
    )
    with pytest.raises(ServiceError) as refused:
        services.undo(moderator, late.pk)
    assert refused.value.code == "too_late"
    with pytest.raises(ServiceError) as refused:
        services.undo(moderator, make_comment("Never decided.", status=Pending).pk)
    assert refused.value.code == "nothing_to_undo"


def test_undo_twice_is_refused(moderator: User, make_comment: Callable[..., Comment]) -> None:
    held = make_comment("Waiting.", status=Pending)
    services.decide(moderator, held.pk, "approve", seen=seen(held))
    services.undo(moderator, held.pk)
    with pytest.raises(ServiceError) as refused:
        services.undo(moderator, held.pk)
    assert refused.value.code == "nothing_to_undo"


def test_the_desk_offers_undo_after_a_decision_and_it_works_over_htmx(
    moderator_client: Client, make_comment: Callable[..., Comment]
) -> None:
    held = make_comment("Waiting for a moderator.", status=Pending)
    answer = moderator_client.post(
        reverse("moderation:decide", args=[held.pk]),
        {"action": "approve", "revision": held.revision, "status": held.status},
        headers={"HX-Request": "true", "HX-Current-URL": "http://testserver/desk/"},
    ).content.decode()
    assert "Approved." in answer
    assert 'action="/desk/undo/"' in answer
    assert f'name="comment" value="{held.pk}"' in answer
    # the tab counts follow, swapped out of band
    assert 'id="queue-count-pending" class="desk-tabs__count" hx-swap-oob="true"' in answer
    assert 'data-queue-count="pending">0</span>' in answer

    undone = moderator_client.post(
        reverse("moderation:undo"), {"comment": held.pk}, headers={"HX-Request": "true"}
    ).content.decode()
    assert "Undone: the comment is awaiting review again." in undone
    assert 'data-queue-count="pending">1</span>' in undone
    held.refresh_from_db()
    assert held.status == Pending


def test_a_bulk_decision_is_offered_for_undo_on_the_next_page(
    moderator_client: Client, make_comment: Callable[..., Comment]
) -> None:
    first = make_comment("First held.", status=Pending)
    second = make_comment("Second held.", status=Pending)
    items = [f"{c.pk}:{c.revision}:{c.status}" for c in (first, second)]
    page = moderator_client.post(
        reverse("moderation:bulk"), {"action": "approve", "item": items}, follow=True
    ).content.decode()
    assert "2 comments approved." in page
    assert f'name="comment" value="{first.pk}"' in page
    assert f'name="comment" value="{second.pk}"' in page
    assert ">Undo</button>" in page
    # the offer is shown once
    assert ">Undo</button>" not in moderator_client.get("/desk/").content.decode()

    done = moderator_client.post(
        reverse("moderation:undo"), {"comment": [first.pk, second.pk]}, follow=True
    ).content.decode()
    assert "2 decisions undone." in done
    assert set(Comment.objects.values_list("status", flat=True)) == {Pending}
    assert AuditEntry.objects.filter(action="moderation:comment:undone").count() == 2


def test_undo_with_nothing_named_changes_nothing(
    moderator_client: Client, make_comment: Callable[..., Comment]
) -> None:
    answer = moderator_client.post(reverse("moderation:undo"), {"comment": "x"}, follow=True)
    assert "Nothing to undo was named." in answer.content.decode()
    assert not AuditEntry.objects.exists()
