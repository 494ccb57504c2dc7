"""Confirming an e-mail address by signed link: valid, tampered, expired, and the reminder."""

import re
import time
from types import SimpleNamespace
from typing import Any

import pytest
from django.core import mail, signing
from django.template.loader import render_to_string
from django.test import Client, RequestFactory

from broadsheet.accounts.models import User
from tests.accounts.conftest import BACKEND, PASSWORD, MakeReader, sends_mail, sign_in

pytestmark = sends_mail


def text(response: Any) -> str:
    return response.content.decode()


def verification_link(to: str) -> str:
    message = [message for message in mail.outbox if message.to == [to]][-1]
    match = re.search(r"https?://[^/\s]+(/accounts/verify/\S+/)", message.body)
    assert match, message.body
    return match.group(1)


def sign_up(client: Client, email: str = "new@example.com") -> str:
    client.post("/accounts/sign-up/", {"email": email, "password": PASSWORD})
    return verification_link(email)


def test_the_link_confirms_the_address(client: Client) -> None:
    link = sign_up(client)
    response = client.get(link)
    assert response.status_code == 200
    assert "Your e-mail address is confirmed" in text(response)
    assert User.objects.get().email_verified_at is not None
    # Opening it again is harmless, and signs no one in: only the first use does.
    again = Client()
    assert again.get(link).status_code == 200
    assert "_auth_user_id" not in again.session


def test_the_first_use_of_the_link_signs_the_reader_in_with_a_next_step_for_their_plan(
    client: Client,
) -> None:
    from broadsheet.subscriptions.models import Plan

    Plan.objects.create(
        name="Club", slug="club", may_comment=True, price_cents=500, trial_days=7,
        trial_includes_comments=True,
    )  # fmt: skip
    link = sign_up(client, "fresh@example.com")
    response = Client().get(link)
    page = text(response)
    assert "you are signed in" in page
    # A free reader cannot comment: no talk of display names, but which plans include it.
    assert "display name" not in page
    assert "Commenting comes with Club (with a 7-day free trial)." in page
    assert "See the plans" in page
    user = User.objects.get(email="fresh@example.com")
    assert response.wsgi_request.user.pk == user.pk
    assert response.client.get("/accounts/profile/").status_code == 200


def test_a_reader_who_may_comment_is_sent_to_choose_a_display_name(client: Client) -> None:
    from broadsheet.subscriptions.models import Plan, PlanGrant

    link = sign_up(client, "member-to-be@example.com")
    user = User.objects.get(email="member-to-be@example.com")
    plan = Plan.objects.create(name="Club", slug="club", may_comment=True, price_cents=500)
    PlanGrant.objects.create(reader=user, plan=plan, source="test")
    page = text(Client().get(link))
    assert "choose the display name" in page
    assert "Choose your display name" in page


def test_a_tampered_link_confirms_nothing(client: Client) -> None:
    link = sign_up(client)
    token = link.removeprefix("/accounts/verify/").rstrip("/")
    other_user = signing.dumps({"user": 999, "email": "new@example.com"}, salt="wrong")
    for bad in [token[:-2] + ("AA" if token[-2:] != "AA" else "BB"), other_user, "nonsense"]:
        response = client.get(f"/accounts/verify/{bad}/")
        assert response.status_code == 400
        assert "This confirmation link is not valid" in text(response)
    assert User.objects.get().email_verified_at is None


def test_an_expired_link_confirms_nothing_and_offers_a_new_one(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    link = sign_up(client)
    later = time.time() + 73 * 3600
    monkeypatch.setattr(signing, "time", SimpleNamespace(time=lambda: later))
    response = client.get(link)
    assert response.status_code == 400
    assert "This confirmation link has expired" in text(response)
    assert "Sign in to get a new link" in text(response)
    assert User.objects.get().email_verified_at is None


def test_a_link_for_an_old_address_does_not_confirm_a_new_one(client: Client) -> None:
    link = sign_up(client)
    User.objects.update(email="changed@example.com")
    assert client.get(link).status_code == 400
    assert User.objects.get().email_verified_at is None


def test_a_reader_can_ask_for_a_new_link_once_a_minute(make_reader: MakeReader) -> None:
    reader = make_reader("late@example.com", verified=False)
    client = Client()
    sign_in(client, reader.email)
    first = client.post("/accounts/verify/resend/", follow=True)
    assert "We have sent a new confirmation link to late@example.com" in text(first)
    second = client.post("/accounts/verify/resend/", follow=True)
    assert "We sent you a link moments ago" in text(second)
    assert len([m for m in mail.outbox if m.to == [reader.email]]) == 1
    assert client.get(verification_link(reader.email)).status_code == 200


def test_the_reminder_shows_only_to_readers_who_have_not_confirmed(
    make_reader: MakeReader,
) -> None:
    def banner(user: User) -> str:
        request = RequestFactory().get("/story/x/")
        request.user = user
        return render_to_string("accounts/verify_banner.html", {"user": user}, request=request)

    unconfirmed = make_reader("u@example.com", verified=False)
    confirmed = make_reader("c@example.com")
    assert "Please confirm your e-mail address" in banner(unconfirmed)
    assert 'value="/story/x/"' in banner(unconfirmed)
    assert banner(confirmed).strip() == ""


def test_the_reminder_form_returns_to_the_page_it_was_on(make_reader: MakeReader) -> None:
    reader = make_reader("u@example.com", verified=False)
    client = Client()
    client.force_login(reader, backend=BACKEND)
    response = client.post("/accounts/verify/resend/", {"next": "/story/x/"})
    assert response["Location"] == "/story/x/"
    response = client.post("/accounts/verify/resend/", {"next": "https://evil.example/"})
    assert response["Location"] == "/accounts/security/"
