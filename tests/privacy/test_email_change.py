"""Change my e-mail address: confirmed at the new address, the old one told and able to undo."""

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from broadsheet.accounts.models import User
from tests.privacy.conftest import PASSWORD, client_of, link_in, make_reader

OLD = "ada.old@example.com"
NEW = "ada.new@example.com"


@pytest.fixture
def ada(db: Any) -> User:
    return make_reader(OLD, "Ada Lovelace", "Ada King")


def ask(client: Client, capture: Any, new_email: str, password: str = PASSWORD) -> Any:
    with capture(execute=True):
        return client.post(
            "/accounts/security/email/", {"new_email": new_email, "password": password}
        )


def signs_in(email: str, password: str = PASSWORD) -> bool:
    client = Client()
    client.post("/accounts/sign-in/", {"username": email, "password": password})
    return "_auth_user_id" in client.session


@pytest.mark.parametrize(
    ("new_email", "password", "reason"),
    [
        (NEW, "not-my-password", "That is not your password"),
        (NEW, "", "Enter your password to confirm that it is you."),
        ("ada-at-example.com", PASSWORD, "Enter a whole e-mail address"),
        ("", PASSWORD, "Enter the new address."),
        (" ADA.Old@Example.com ", PASSWORD, "That is already your e-mail address."),
    ],
)
def test_a_bad_request_re_renders_with_the_reason_and_sends_nothing(
    ada: User, django_capture_on_commit_callbacks: Any, new_email: str, password: str, reason: str
) -> None:
    response = ask(client_of(ada), django_capture_on_commit_callbacks, new_email, password)

    assert response.status_code == 400
    assert reason in response.content.decode()
    assert mail.outbox == []
    assert User.objects.get(pk=ada.pk).email == OLD


def test_the_new_address_confirms_and_both_addresses_are_told(
    ada: User, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_of(ada)
    response = ask(client, django_capture_on_commit_callbacks, "  Ada.NEW@example.com")
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert f"We have sent a link to {NEW}" in page

    confirm = next(m for m in mail.outbox if m.to == [NEW])
    asked = next(m for m in mail.outbox if m.to == [OLD])
    assert NEW in asked.body
    assert "/accounts/email/not-me/" in asked.body
    # Nothing changes before the new address answers.
    assert User.objects.get(pk=ada.pk).email == OLD
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        done = Client().get(link_in(confirm, "/accounts/email/confirm/"))
    assert done.status_code == 200
    assert f"sign in with <strong>{NEW}</strong>" in done.content.decode()
    ada.refresh_from_db()
    assert ada.email == NEW
    assert ada.email_verified_at is not None
    [told] = mail.outbox
    assert told.to == [OLD]
    assert "now signs in with ada.new@example.com" in told.body
    assert "/accounts/email/not-me/" in told.body

    assert signs_in("Ada.New@Example.com")
    assert not signs_in(OLD)


def test_an_address_with_an_account_is_told_and_the_asker_learns_nothing(
    ada: User, django_capture_on_commit_callbacks: Any
) -> None:
    make_reader("taken@example.com", "Someone Else", "")
    response = ask(client_of(ada), django_capture_on_commit_callbacks, "TAKEN@example.com ")

    assert response.status_code == 302  # the same answer as for a free address
    [to_taken] = [m for m in mail.outbox if m.to == ["taken@example.com"]]
    assert "already has an account" in to_taken.body
    assert "/accounts/email/confirm/" not in to_taken.body
    assert User.objects.get(pk=ada.pk).email == OLD


def test_this_wasnt_me_takes_the_change_back_and_signs_out_everywhere(
    ada: User, django_capture_on_commit_callbacks: Any
) -> None:
    intruder = client_of(ada)
    ask(intruder, django_capture_on_commit_callbacks, NEW)
    confirm = next(m for m in mail.outbox if m.to == [NEW])
    with django_capture_on_commit_callbacks(execute=True):
        Client().get(link_in(confirm, "/accounts/email/confirm/"))
    told = next(m for m in mail.outbox if m.to == [OLD] and "was changed" in m.subject)
    not_me = link_in(told, "/accounts/email/not-me/")

    owner = Client()
    shown = owner.get(not_me)  # opening the link (or a mail scanner) changes nothing
    assert shown.status_code == 200
    assert User.objects.get(pk=ada.pk).email == NEW

    done = owner.post(not_me)
    assert done.status_code == 200
    assert "Choose a new password" in done.content.decode()
    assert User.objects.get(pk=ada.pk).email == OLD
    assert intruder.get("/accounts/security/").status_code == 302  # signed out
    assert signs_in(OLD)
    assert not signs_in(NEW)


def test_this_wasnt_me_before_confirmation_cancels_the_link(
    ada: User, django_capture_on_commit_callbacks: Any
) -> None:
    ask(client_of(ada), django_capture_on_commit_callbacks, NEW)
    confirm = next(m for m in mail.outbox if m.to == [NEW])
    asked = next(m for m in mail.outbox if m.to == [OLD])

    Client().post(link_in(asked, "/accounts/email/not-me/"))
    refused = Client().get(link_in(confirm, "/accounts/email/confirm/"))
    assert refused.status_code == 410
    assert "cancelled" in refused.content.decode()
    assert User.objects.get(pk=ada.pk).email == OLD


def test_a_newer_request_replaces_the_older_link(
    ada: User, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_of(ada)
    ask(client, django_capture_on_commit_callbacks, "first@example.com")
    first = next(m for m in mail.outbox if m.to == ["first@example.com"])
    ask(client, django_capture_on_commit_callbacks, "second@example.com")

    assert Client().get(link_in(first, "/accounts/email/confirm/")).status_code == 410
    assert User.objects.get(pk=ada.pk).email == OLD


def test_an_expired_or_damaged_link_changes_nothing(
    ada: User, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    ask(client_of(ada), django_capture_on_commit_callbacks, NEW)
    link = link_in(next(m for m in mail.outbox if m.to == [NEW]), "/accounts/email/confirm/")

    assert Client().get(link.rstrip("/") + "x/").status_code == 404
    settings.EMAIL_CHANGE_HOURS = 0
    expired = Client().get(link)
    assert expired.status_code == 410
    assert "expired" in expired.content.decode()
    assert User.objects.get(pk=ada.pk).email == OLD


def test_an_address_taken_before_confirmation_is_refused(
    ada: User, django_capture_on_commit_callbacks: Any
) -> None:
    ask(client_of(ada), django_capture_on_commit_callbacks, NEW)
    link = link_in(next(m for m in mail.outbox if m.to == [NEW]), "/accounts/email/confirm/")
    make_reader("Ada.New@example.com", "Quick Taker", "")

    refused = Client().get(link)
    assert refused.status_code == 409
    assert "belongs to another account" in refused.content.decode()
    assert User.objects.get(pk=ada.pk).email == OLD
