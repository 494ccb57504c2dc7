"""Notification settings, and one-click unsubscribe by a signed link that works signed out."""

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from broadsheet.accounts.models import User
from broadsheet.comments.models import Comment
from broadsheet.notifications.models import Notification, Preferences
from broadsheet.notifications.tokens import make_token
from broadsheet.stories.models import Story
from tests.notifications.conftest import Mailbox

pytestmark = pytest.mark.django_db

MEMBER = "member@example.com"


def unsubscribe_path(message: Any) -> str:
    url = str(message["List-Unsubscribe"]).strip("<>")
    return url.removeprefix("https://news.example.com")


def test_one_click_unsubscribe_works_signed_out_and_stops_that_email(
    mailbox: Mailbox, post: Callable[..., Comment], story: Story, users: dict[str, User]
) -> None:
    mine = post(users["member"], story, "Night buses at last.")
    post(users["editor"], story, "They start in March.", to=mine)
    [message] = mailbox.to(MEMBER)
    path = unsubscribe_path(message)

    visitor = Client(enforce_csrf_checks=True)
    # Opening the link (or a link checker fetching it) changes nothing; it asks.
    page = visitor.get(path)
    assert page.status_code == 200
    assert "Stop e-mails about replies to your comments?" in page.content.decode()
    assert not Preferences.objects.filter(reader=users["member"]).exists()
    # A mail program's one-click POST (RFC 8058), no session and no CSRF token.
    done = visitor.post(path, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    assert "We will no longer e-mail you about replies to your comments." in done.content.decode()
    assert Preferences.objects.get(reader=users["member"]).replies == "site"
    assert visitor.post(path).status_code == 200  # twice is harmless

    post(users["moderator"], story, "Another reply.", to=mine)
    assert len(mailbox.to(MEMBER)) == 1  # none after unsubscribing
    # The reply is still in the reader's list on the site.
    assert Notification.objects.filter(recipient=users["member"]).count() == 2


BAD_TOKENS = {
    "garbage": lambda: "not-a-token",
    "tampered": lambda: make_token(1, "replies")[:-3] + "abc",
    "unknown_topic": lambda: make_token(1, "passwords"),
}


@pytest.mark.parametrize("kind", BAD_TOKENS)
def test_a_bad_unsubscribe_link_is_refused_plainly(kind: str, db: Any) -> None:
    token = BAD_TOKENS[kind]()
    for response in (
        Client().get(f"/notifications/unsubscribe/{token}/"),
        Client().post(f"/notifications/unsubscribe/{token}/"),
    ):
        assert response.status_code == 400
        assert "This unsubscribe link is not valid" in response.content.decode()
    assert not Preferences.objects.exists()


def test_unsubscribing_from_the_digest_turns_every_digest_kind_to_site_only(
    users: dict[str, User],
) -> None:
    Preferences.objects.create(reader=users["member"], replies="digest", followed="digest")
    assert (
        Client().post(f"/notifications/unsubscribe/{make_token(users['member'].pk, 'digest')}/")
    ).status_code == 200
    saved = Preferences.objects.get(reader=users["member"])
    assert (saved.replies, saved.featured, saved.followed) == ("site", "immediate", "site")


def test_the_notifications_section_saves_each_kind_and_refuses_a_bad_choice(
    client_for: Callable[[str], Client], users: dict[str, User]
) -> None:
    member = client_for("member")
    page = member.get("/accounts/notifications/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'aria-current="page">Notifications</a>' in html
    # The defaults: replies on, by e-mail at once.
    assert 'name="replies" value="immediate" id="id_replies_2" required checked' in html
    saved = member.post(
        "/accounts/notifications/",
        {"replies": "digest", "featured": "off", "followed": "site", "account_emails": "on"},
    )
    assert saved.status_code == 302
    preferences = Preferences.objects.get(reader=users["member"])
    assert (preferences.replies, preferences.featured, preferences.followed) == (
        "digest",
        "off",
        "site",
    )
    assert preferences.account_emails
    assert not preferences.follow_own_threads

    refused = member.post("/accounts/notifications/", {"replies": "hourly", "featured": "off"})
    assert refused.status_code == 400
    assert "Select a valid choice" in refused.content.decode()
    assert Preferences.objects.get(reader=users["member"]).replies == "digest"


def test_a_kind_turned_off_makes_no_notification_at_all(
    mailbox: Mailbox, post: Callable[..., Comment], story: Story, users: dict[str, User]
) -> None:
    Preferences.objects.create(reader=users["member"], replies="off")
    mine = post(users["member"], story, "Night buses at last.")
    post(users["editor"], story, "They start in March.", to=mine)
    assert mailbox.messages == []
    assert not Notification.objects.exists()


def test_an_unconfirmed_address_gets_no_email_but_sees_the_notification(
    mailbox: Mailbox, post: Callable[..., Comment], story: Story, users: dict[str, User]
) -> None:
    User.objects.filter(pk=users["member"].pk).update(email_verified_at=None)
    mine = post(users["member"], story, "Night buses at last.")
    post(users["editor"], story, "They start in March.", to=mine)
    assert mailbox.messages == []
    assert Notification.objects.get(recipient=users["member"]).email == "none"


def test_account_pages_need_signing_in(db: Any) -> None:
    for path in ("/accounts/notifications/", "/accounts/muted/", "/notifications/"):
        response = Client().get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/sign-in/")
