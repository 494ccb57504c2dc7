"""Choosing a new password by e-mail link, including a link that has expired."""

import re
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.test import Client

from broadsheet.accounts.models import User
from tests.accounts.conftest import PASSWORD, MakeReader, sends_mail, sign_in, without_token

pytestmark = sends_mail
NEW_PASSWORD = "Lighthouse-Keeper-77"


def text(response: Any) -> str:
    return response.content.decode()


def ask_for_link(client: Client, email: str) -> str:
    response = client.post("/accounts/reset/", {"email": email})
    assert response.status_code == 302
    return str(response["Location"])


def link_in_mail(to: str) -> str:
    message = next(message for message in mail.outbox if message.to == [to])
    match = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


def choose_password(client: Client, link: str, password: str = NEW_PASSWORD) -> Any:
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in text(form_page)
    return client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"new_password1": password, "new_password2": password},
    )


def test_the_reset_flow_sets_a_new_password_and_ends_old_sessions(
    make_reader: MakeReader,
) -> None:
    reader = make_reader(verified=False)
    old_device = Client()
    sign_in(old_device, reader.email)

    client = Client()
    assert ask_for_link(client, "Reader@Example.com") == "/accounts/reset/sent/"
    link = link_in_mail(reader.email)
    assert "Choose a new password for Broadsheet" in mail.outbox[0].subject

    response = choose_password(client, link)
    assert response["Location"] == "/accounts/reset/done/"
    assert sign_in(Client(), reader.email, PASSWORD).status_code == 200
    assert sign_in(Client(), reader.email, NEW_PASSWORD).status_code == 302
    assert old_device.get("/accounts/security/").status_code == 302
    reader.refresh_from_db()
    assert reader.email_verified_at is not None  # the link proved the mailbox


def test_a_used_link_does_not_work_twice(reader: User) -> None:
    ask_for_link(Client(), reader.email)
    link = link_in_mail(reader.email)
    choose_password(Client(), link)
    again = Client().get(link, follow=True)
    assert "This link no longer works" in text(again)


def test_an_expired_link_is_refused_and_changes_nothing(
    reader: User, monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    ask_for_link(Client(), reader.email)
    link = link_in_mail(reader.email)
    timeout = settings.PASSWORD_RESET_TIMEOUT
    later = datetime.now() + timedelta(seconds=timeout + 60)
    monkeypatch.setattr(PasswordResetTokenGenerator, "_now", lambda self: later)

    response = Client().get(link, follow=True)
    assert "This link no longer works" in text(response)
    assert "expired or has already been used" in text(response)
    client = Client()
    client.get(link)
    client.post(link, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    reader.refresh_from_db()
    assert reader.check_password(PASSWORD)


def test_a_tampered_link_is_refused(reader: User) -> None:
    ask_for_link(Client(), reader.email)
    link = link_in_mail(reader.email)
    tampered = link[:-3] + ("a" if link[-3] != "a" else "b") + link[-2:]
    assert "This link no longer works" in text(Client().get(tampered, follow=True))


def test_asking_for_an_unknown_address_looks_the_same_and_sends_nothing(reader: User) -> None:
    known, unknown = Client(), Client()
    assert ask_for_link(known, reader.email) == ask_for_link(unknown, "nobody@example.com")
    pages = [without_token(text(c.get("/accounts/reset/sent/"))) for c in (known, unknown)]
    assert pages[0] == pages[1]
    assert [message.to for message in mail.outbox] == [[reader.email]]


def test_a_reset_lifts_a_sign_in_lockout(reader: User, settings: Any) -> None:
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, reader.email, "guess")
    assert sign_in(client, reader.email).status_code == 429
    ask_for_link(Client(), reader.email)
    choose_password(Client(), link_in_mail(reader.email))
    assert sign_in(client, reader.email, NEW_PASSWORD).status_code == 302


def test_the_form_cannot_flood_an_inbox(reader: User, settings: Any) -> None:
    settings.ACCOUNTS_EMAILS_PER_HOUR = 2
    for _ in range(4):
        assert ask_for_link(Client(), reader.email) == "/accounts/reset/sent/"
    assert len(mail.outbox) == 2
