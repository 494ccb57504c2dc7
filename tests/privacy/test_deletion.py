"""Delete my account: the password, a grace period that signing in cancels, then erasure."""

from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from broadsheet.accounts.display_names import DisplayNameError, check_display_name
from broadsheet.accounts.models import User
from broadsheet.comments.models import Comment
from broadsheet.core.models import AuditEntry
from broadsheet.notifications.models import Mute, Notification
from broadsheet.privacy.models import DeletionRequest
from broadsheet.subscriptions import services as subscriptions
from broadsheet.subscriptions.models import Subscription
from tests.privacy.conftest import (
    LEAVER_EMAIL,
    LEAVER_NAME,
    LEAVER_REAL_NAME,
    OTHER_EMAIL,
    PASSWORD,
    World,
    client_of,
    rows_mentioning,
)


def ask_to_delete(client: Client, capture: Any, **data: str) -> Any:
    with capture(execute=True):
        return client.post("/accounts/data/delete/", {"password": PASSWORD, **data})


def thread_page(world: World) -> str:
    """The story's discussion as a visitor sees it, newest first."""
    response = Client().get(world.story.get_absolute_url() + "?sort=newest")
    assert response.status_code == 200
    return response.content.decode()


def make_due(user: User) -> None:
    DeletionRequest.objects.filter(reader=user).update(
        erase_after=timezone.now() - timedelta(minutes=1)
    )


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        ({"password": "wrong", "comments": "keep"}, "That is not your password"),
        ({"password": "", "comments": "keep"}, "Enter your password to confirm that it is you."),
        ({"comments": ""}, "Choose what happens to your comments."),
        ({"comments": "shred"}, "Select a valid choice."),
    ],
)
def test_a_bad_request_re_renders_with_the_reason_and_schedules_nothing(
    world: World, django_capture_on_commit_callbacks: Any, data: dict[str, str], reason: str
) -> None:
    client = client_of(world.leaver)
    response = ask_to_delete(client, django_capture_on_commit_callbacks, **data)

    assert response.status_code == 400
    assert reason in response.content.decode()
    assert not DeletionRequest.objects.exists()
    assert mail.outbox == []
    assert client.get("/accounts/data/").status_code == 200  # still signed in


def test_asking_signs_out_and_signing_in_during_the_grace_period_cancels(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_of(world.leaver)
    response = ask_to_delete(client, django_capture_on_commit_callbacks, comments="remove")

    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    erase_day = timezone.localtime(timezone.now() + timedelta(days=14)).strftime("%-d %B %Y")
    assert f"Your account will be deleted on {erase_day}" in page
    [told] = [m for m in mail.outbox if "will be deleted" in m.subject]
    assert told.to == [LEAVER_EMAIL]
    assert erase_day in told.body
    assert client.get("/accounts/data/").status_code == 302  # signed out
    subscription = Subscription.objects.get(reader=world.leaver, status="active")
    assert subscription.cancel_at_period_end  # no renewal while leaving

    call_command("erase_accounts")  # not due yet
    assert User.objects.filter(pk=world.leaver.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        back = client.post(
            "/accounts/sign-in/", {"username": LEAVER_EMAIL, "password": PASSWORD}, follow=True
        )
    assert "Your account will not be deleted" in back.content.decode()
    assert not DeletionRequest.objects.exists()
    subscription.refresh_from_db()
    assert not subscription.cancel_at_period_end  # resumed
    assert any("will not be deleted" in m.subject for m in mail.outbox)


def test_erasure_removing_comments_keeps_others_replies_and_leaves_no_personal_data(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    # Records that name the reader outside their account: a mistyped password (the sign-in
    # lockout counts it by address) and a change of address they never confirmed.
    Client().post("/accounts/sign-in/", {"username": LEAVER_EMAIL, "password": "mistyped"})
    with django_capture_on_commit_callbacks(execute=True):
        client_of(world.leaver).post(
            "/accounts/security/email/",
            {"new_email": "quillon.next@example.com", "password": PASSWORD},
        )
    found = rows_mentioning(LEAVER_EMAIL)  # the search finds what is there
    assert any(row.startswith("axes.") for row in found), found
    assert any(row.startswith("privacy.EmailChange") for row in found), found
    ask_to_delete(client_of(world.leaver), django_capture_on_commit_callbacks, comments="remove")
    make_due(world.leaver)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("erase_accounts")

    assert not User.objects.filter(pk=world.leaver.pk).exists()
    # Answered by another reader: the row stays, blank, so the reply keeps its place.
    start = Comment.objects.get(pk=world.thread_start.pk)
    assert (start.status, start.body, start.body_html) == ("deleted", "", "")
    assert start.author.email == "former-reader@broadsheet.invalid"
    reply = Comment.objects.get(pk=world.others_reply.pk)
    assert reply.parent_id == start.pk
    assert reply.status == "published"
    # Nothing answered these: they are gone.
    assert not Comment.objects.filter(pk__in=[world.leaver_reply.pk, world.rejected.pk]).exists()
    assert Comment.objects.get(pk=world.others_comment.pk).recommend_count == 0

    page = thread_page(world)
    assert "Orsolya replies: they run on time." in page
    assert "Quillon thinks" not in page
    assert LEAVER_NAME not in page

    for personal in (
        LEAVER_EMAIL,
        "quillon.next@example.com",
        LEAVER_NAME,
        LEAVER_REAL_NAME,
        "Quillon thinks",
        "Quillon ",
    ):
        assert rows_mentioning(personal) == [], personal
    erased = AuditEntry.objects.get(action="accounts:user:erased")
    assert erased.details == {"comments": "removed"}
    assert erased.actor is None
    assert not Notification.objects.filter(recipient_id=world.leaver.pk).exists()
    assert not Notification.objects.filter(comment_id=world.thread_start.pk).exists()
    assert not Mute.objects.filter(muter_id=world.leaver.pk).exists()


def test_the_subscription_ends_at_once_when_the_account_is_erased(world: World) -> None:
    ended = subscriptions.end_now(world.leaver)

    assert ended is not None
    assert (ended.status, ended.cancel_at_period_end) == ("canceled", False)
    assert ended.ended_at is not None
    assert ended.events.last().cause == "canceled_now"
    assert subscriptions.end_now(world.leaver) is None  # nothing left to end


def test_erasure_keeping_comments_signs_them_as_a_former_reader(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    # The leaver once asked for the other reader's address; the other reader mistyped
    # their password. Erasing the leaver must not erase the other reader's records.
    with django_capture_on_commit_callbacks(execute=True):
        client_of(world.leaver).post(
            "/accounts/security/email/", {"new_email": OTHER_EMAIL, "password": PASSWORD}
        )
    Client().post("/accounts/sign-in/", {"username": OTHER_EMAIL, "password": "mistyped"})
    others_records = [r for r in rows_mentioning(OTHER_EMAIL) if r.startswith("axes.")]
    assert others_records
    ask_to_delete(client_of(world.leaver), django_capture_on_commit_callbacks, comments="keep")
    make_due(world.leaver)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("erase_accounts")

    assert not User.objects.filter(pk=world.leaver.pk).exists()
    assert [r for r in rows_mentioning(OTHER_EMAIL) if r.startswith("axes.")] == others_records
    told = Notification.objects.get(recipient=world.other, comment=world.leaver_reply)
    assert told.actor.public_name == "A former reader"
    kept = Comment.objects.get(pk=world.thread_start.pk)
    assert kept.body == "Quillon thinks the night buses are late."
    assert kept.author.public_name == "A former reader"
    assert Comment.objects.get(pk=world.leaver_reply.pk).parent_id == world.others_reply.pk

    page = thread_page(world)
    assert "Quillon thinks the night buses are late." in page
    assert "A former reader" in page
    assert LEAVER_NAME not in page
    for personal in (LEAVER_EMAIL, LEAVER_NAME, LEAVER_REAL_NAME):
        assert rows_mentioning(personal) == [], personal
    assert AuditEntry.objects.get(action="accounts:user:erased").details == {"comments": "kept"}


def test_two_erased_readers_share_the_former_reader_and_nobody_can_take_its_name(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    for reader in (world.leaver, world.other):
        ask_to_delete(client_of(reader), django_capture_on_commit_callbacks, comments="keep")
        make_due(reader)
    call_command("erase_accounts")

    authors = set(Comment.objects.filter(story=world.story).values_list("author__email", flat=True))
    assert "former-reader@broadsheet.invalid" in authors
    assert not User.objects.filter(email__in=[LEAVER_EMAIL, world.other.email]).exists()
    with pytest.raises(DisplayNameError):
        check_display_name("A Former Reader")
