"""Signing up, in and out: sessions, throttling, and never telling who has an account."""

from typing import Any

import pytest
from django.core import mail
from django.test import Client

from broadsheet.accounts.models import User
from tests.accounts.conftest import (
    BACKEND,
    PASSWORD,
    MakeReader,
    sends_mail,
    sign_in,
    without_token,
)

pytestmark = pytest.mark.django_db


def text(response: Any) -> str:
    return response.content.decode()


# --- signing up ------------------------------------------------------------------------------


@sends_mail
def test_sign_up_opens_an_account_and_sends_the_confirmation_link(client: Client) -> None:
    response = client.post(
        "/accounts/sign-up/", {"email": "New.Reader@Example.com", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/sign-up/sent/"
    user = User.objects.get()
    assert user.email == "new.reader@example.com"
    assert user.check_password(PASSWORD)
    assert user.password.startswith("md5$") or user.password.startswith("argon2")
    assert user.email_verified_at is None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.reader@example.com"]
    assert "/accounts/verify/" in mail.outbox[0].body
    assert "New.Reader@Example.com" in text(client.get("/accounts/sign-up/sent/"))


def test_passwords_are_hashed_with_argon2_outside_tests() -> None:
    from broadsheet.config import settings as production_settings

    assert production_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short", "This password is too short"),
        ("12345678901", "This password is entirely numeric"),
        ("password123", "This password is too common"),
        ("reader.example", "too similar to the e-mail address"),
    ],
)
def test_sign_up_applies_the_password_rules(client: Client, password: str, message: str) -> None:
    response = client.post(
        "/accounts/sign-up/", {"email": "reader.example@example.com", "password": password}
    )
    assert response.status_code == 200
    assert message in text(response)
    assert not User.objects.exists()
    assert mail.outbox == []


@sends_mail
def test_sign_up_with_a_registered_address_looks_the_same_and_tells_only_its_owner(
    client: Client, make_reader: MakeReader
) -> None:
    make_reader("taken@example.com")
    fresh = client.post("/accounts/sign-up/", {"email": "free@example.com", "password": PASSWORD})
    fresh_page = text(client.get(fresh["Location"]))
    other = Client()
    again = other.post("/accounts/sign-up/", {"email": "TAKEN@example.com", "password": PASSWORD})
    again_page = text(other.get(again["Location"]))

    assert (again.status_code, again["Location"]) == (fresh.status_code, fresh["Location"])
    assert without_token(again_page).replace("TAKEN@example.com", "X") == without_token(
        fresh_page
    ).replace("free@example.com", "X")
    assert User.objects.filter(email="taken@example.com").count() == 1
    owner_mail = next(message for message in mail.outbox if message.to == ["taken@example.com"])
    assert "You already have an account" in owner_mail.body
    assert "/accounts/reset/" in owner_mail.body


def test_a_signed_in_reader_is_sent_from_sign_up_to_the_profile(reader_client: Client) -> None:
    assert reader_client.get("/accounts/sign-up/")["Location"] == "/accounts/profile/"


# --- signing in ------------------------------------------------------------------------------


def test_sign_in_rotates_the_session_key(client: Client, reader: User) -> None:
    client.get("/accounts/sign-in/")
    client.session["before"] = True  # make sure an anonymous session exists
    session = client.session
    session["visited"] = "yes"
    session.save()
    before = session.session_key
    response = sign_in(client, "READER@example.com")
    assert response.status_code == 302
    after = client.cookies["sessionid"].value
    assert after != before
    assert client.session["_auth_user_id"] == str(reader.pk)


def test_session_cookies_are_http_only_and_same_site(client: Client, reader: User) -> None:
    sign_in(client, reader.email)
    cookie = client.cookies["sessionid"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_sign_in_returns_to_a_safe_next_only(client: Client, reader: User) -> None:
    response = client.post(
        "/accounts/sign-in/?next=/accounts/security/",
        {"username": reader.email, "password": PASSWORD, "next": "/accounts/security/"},
    )
    assert response["Location"] == "/accounts/security/"
    client.post("/accounts/sign-out/")
    response = client.post(
        "/accounts/sign-in/",
        {"username": reader.email, "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"


def test_a_wrong_password_and_an_unknown_address_get_the_same_answer(
    reader: User, client: Client
) -> None:
    wrong = sign_in(client, reader.email, "not-the-password")
    unknown = sign_in(Client(), "nobody@example.com", "not-the-password")
    assert wrong.status_code == unknown.status_code == 200
    assert "do not match an account" in text(wrong)
    assert without_token(text(wrong)).replace(reader.email, "X") == without_token(
        text(unknown)
    ).replace("nobody@example.com", "X")


def test_repeated_failures_lock_out_with_a_clear_message(
    settings: Any, client: Client, reader: User
) -> None:
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        assert sign_in(client, reader.email, "guess").status_code == 200
    locked = sign_in(client, reader.email, "guess")
    assert locked.status_code == 429
    assert "Too many sign-in attempts" in text(locked)
    assert "15 minutes" in text(locked)
    # Even the right password waits now.
    assert sign_in(client, reader.email).status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lockout_reads_the_same_for_an_address_without_an_account(
    settings: Any, reader: User
) -> None:
    limit = settings.AXES_FAILURE_LIMIT
    answers = []
    for email in [reader.email, "nobody@example.com"]:
        client = Client()
        for _ in range(limit):
            last = sign_in(client, email, "guess")
        answers.append((last.status_code, without_token(text(last)).replace(email, "X")))
    assert answers[0] == answers[1]
    assert answers[0][0] == 429


# --- signing out -----------------------------------------------------------------------------


def test_sign_out_needs_a_post(reader_client: Client) -> None:
    assert reader_client.get("/accounts/sign-out/").status_code == 405
    response = reader_client.post("/accounts/sign-out/")
    assert response.status_code == 302
    assert "_auth_user_id" not in reader_client.session


def test_sign_out_everywhere_ends_every_session(reader: User) -> None:
    laptop, phone = Client(), Client()
    sign_in(laptop, reader.email)
    sign_in(phone, reader.email)
    assert phone.get("/accounts/security/").status_code == 200

    response = laptop.post("/accounts/security/sign-out-everywhere/", follow=True)
    assert "signed out on every device" in text(response)
    for device in (laptop, phone):
        assert device.get("/accounts/security/").status_code == 302
    # Signing in again works as before.
    assert sign_in(phone, reader.email).status_code == 302
    assert phone.get("/accounts/security/").status_code == 200


@sends_mail
def test_changing_the_password_keeps_this_device_and_signs_out_the_others(
    reader: User,
) -> None:
    laptop, phone = Client(), Client()
    sign_in(laptop, reader.email)
    sign_in(phone, reader.email)
    mail.outbox.clear()
    response = laptop.post(
        "/accounts/security/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "Lighthouse-Keeper-77",
            "new_password2": "Lighthouse-Keeper-77",
        },
    )
    assert response.status_code == 302
    assert laptop.get("/accounts/security/").status_code == 200
    assert phone.get("/accounts/security/").status_code == 302
    assert sign_in(Client(), reader.email, "Lighthouse-Keeper-77").status_code == 302
    assert "password of your Broadsheet account was changed" in mail.outbox[0].body


def test_a_wrong_current_password_changes_nothing(reader: User, reader_client: Client) -> None:
    response = reader_client.post(
        "/accounts/security/password/",
        {
            "old_password": "wrong",
            "new_password1": "Lighthouse-Keeper-77",
            "new_password2": "Lighthouse-Keeper-77",
        },
    )
    assert response.status_code == 400
    assert "That is not your current password" in text(response)
    reader.refresh_from_db()
    assert reader.check_password(PASSWORD)


def test_the_security_page_shows_the_verification_status(make_reader: MakeReader) -> None:
    unverified = make_reader("new@example.com", verified=False)
    client = Client()
    client.force_login(unverified, backend=BACKEND)
    html = text(client.get("/accounts/security/"))
    assert "Not confirmed" in html
    assert "Send a new link" in html


def test_a_flood_of_sign_ups_from_one_address_is_refused(client: Client, settings: Any) -> None:
    settings.ACCOUNTS_SIGN_UPS_PER_HOUR = 2
    for number in range(2):
        response = client.post(
            "/accounts/sign-up/", {"email": f"bulk{number}@example.com", "password": PASSWORD}
        )
        assert response.status_code == 302
    response = client.post(
        "/accounts/sign-up/", {"email": "bulk9@example.com", "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "Too many accounts have been opened from your network" in text(response)
    assert User.objects.count() == 2
