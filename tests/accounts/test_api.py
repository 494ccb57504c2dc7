"""The accounts API: the reader's own profile and display name, with the page's rules."""

import json
from typing import Any

import pytest
from django.test import Client

from broadsheet.accounts import services
from broadsheet.accounts.models import User
from tests.accounts.conftest import BACKEND, MakeReader

pytestmark = pytest.mark.django_db


def put_name(client: Client, name: object, **headers: str) -> Any:
    return client.put(
        "/api/accounts/me/display-name",
        data=json.dumps({"display_name": name}),
        content_type="application/json",
        headers=headers,
    )


def csrf_client(user: User) -> tuple[Client, str]:
    """A browser-like client that must send the CSRF token, and that token."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user, backend=BACKEND)
    client.get("/accounts/profile/")  # the page sets the CSRF cookie
    return client, client.cookies["csrftoken"].value


def test_me_needs_a_signed_in_reader(client: Client) -> None:
    response = client.get("/api/accounts/me")
    assert response.status_code == 401
    assert response.json()["code"] == "sign_in_required"


def test_me_shows_the_readers_own_profile(reader: User, reader_client: Client) -> None:
    body = reader_client.get("/api/accounts/me").json()
    assert body["id"] == reader.pk
    assert body["email"] == reader.email
    assert body["display_name"] is None
    assert body["email_verified"] is True


def test_me_never_shows_another_readers_address(make_reader: MakeReader) -> None:
    other = make_reader("other@example.com")
    services.set_display_name(other, "Quiet Neighbour")
    me = make_reader("me@example.com")
    client = Client()
    client.force_login(me, backend=BACKEND)
    assert "other@example.com" not in client.get("/api/accounts/me").content.decode()
    assert "other@example.com" not in put_name(client, "Quiet Neighbour").content.decode()


def test_a_name_is_set_through_the_api_with_the_csrf_token(reader: User) -> None:
    client, token = csrf_client(reader)
    response = put_name(client, "Harbour Lights", X_CSRFToken=token)
    assert response.status_code == 200
    body = response.json()
    assert body["display_name"] == "Harbour Lights"
    assert body["display_name_next_change_at"] is not None
    reader.refresh_from_db()
    assert reader.display_name == "Harbour Lights"


def test_without_the_csrf_token_nothing_changes(reader: User) -> None:
    client, _ = csrf_client(reader)
    response = put_name(client, "Harbour Lights")
    assert response.status_code in {401, 403}
    reader.refresh_from_db()
    assert reader.display_name is None


@pytest.mark.parametrize(
    ("name", "status", "code"),
    [
        ("ab", 400, "too_short"),
        ("Anna  Smith", 400, "repeated_space"),
        ("a\u202enna", 400, "bidi"),
        ("@anna", 400, "handle"),
        ("Moderator", 400, "reserved"),
        ("Quiet Neighbour", 409, "taken"),
        ("QUIET NE1GHBOUR", 409, "taken"),
    ],
)
def test_refusals_carry_the_rules_code_and_message(
    make_reader: MakeReader, name: str, status: int, code: str
) -> None:
    services.set_display_name(make_reader("other@example.com"), "Quiet Neighbour")
    client = Client()
    client.force_login(make_reader("me@example.com"), backend=BACKEND)
    response = put_name(client, name)
    assert response.status_code == status
    body = response.json()
    assert body["code"] == code
    assert body["detail"]


def test_a_second_change_too_soon_is_refused(reader: User, reader_client: Client) -> None:
    assert put_name(reader_client, "First Light").status_code == 200
    response = put_name(reader_client, "Second Light")
    assert response.status_code == 409
    assert response.json()["code"] == "too_soon"


def test_a_malformed_body_is_refused_as_json(reader_client: Client) -> None:
    response = reader_client.put(
        "/api/accounts/me/display-name", data="{", content_type="application/json"
    )
    assert response.status_code in {400, 422}
    assert "detail" in response.json()
    assert put_name(reader_client, 42).status_code == 422
