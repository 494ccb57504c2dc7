"""One account per address, however it is spelt: case and surrounding spaces change nothing.

Regression tests for a lockout that counted each spelling of an address separately, so
an attacker had a fresh allowance of guesses for every mix of upper and lower case.
"""

from typing import Any

import pytest
from django.core import mail
from django.db import IntegrityError
from django.test import Client

from broadsheet.accounts.emails import normalize_email
from broadsheet.accounts.models import User
from tests.accounts.conftest import PASSWORD, MakeReader, sends_mail, sign_in

pytestmark = pytest.mark.django_db


def is_signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Free@Example.com", "free@example.com"),
        ("  free@example.com ", "free@example.com"),
        ("\tFREE@EXAMPLE.COM\n", "free@example.com"),
        ("\uff26\uff52\uff45\uff45@example.com", "free@example.com"),  # full-width, NFKC folds
    ],
)
def test_an_address_has_one_normal_form(typed: str, stored: str) -> None:
    assert normalize_email(typed) == stored


def test_four_guesses_in_each_spelling_lock_the_account_for_every_spelling(
    settings: Any, make_reader: MakeReader
) -> None:
    """The attack as reported: 4 wrong passwords per spelling, then the right one in another."""
    make_reader("free@example.com")
    assert settings.AXES_FAILURE_LIMIT == 5
    client = Client()
    answers = [
        sign_in(client, spelling, "wrong-guess").status_code
        for spelling in ["free@example.com", "Free@example.com", "FREE@example.com",
                         "free@EXAMPLE.com", "fREE@Example.Com"]
        for _ in range(4)
    ]  # fmt: skip

    assert answers[:4] == [200] * 4
    assert answers[4:] == [429] * 16  # the fifth guess, in a new spelling, is already locked
    locked = sign_in(client, "FrEe@example.com")
    assert locked.status_code == 429
    assert not is_signed_in(client)


@pytest.mark.parametrize(
    "spelling", ["DIGITAL@EXAMPLE.COM", " digital@example.com", "digital@example.com  "]
)
def test_a_locked_account_stays_locked_in_any_spelling(
    settings: Any, make_reader: MakeReader, spelling: str
) -> None:
    make_reader("digital@example.com")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "digital@example.com", "wrong-guess")

    response = sign_in(client, spelling)

    assert response.status_code == 429
    assert not is_signed_in(client)


@pytest.mark.parametrize("spelling", ["Reader@Example.COM", "  reader@example.com  "])
def test_the_right_password_signs_in_in_any_spelling(
    make_reader: MakeReader, spelling: str
) -> None:
    reader = make_reader("reader@example.com")
    client = Client()
    assert sign_in(client, spelling).status_code == 302
    assert client.session["_auth_user_id"] == str(reader.pk)


def test_a_success_clears_the_failures_of_every_spelling(
    settings: Any, make_reader: MakeReader
) -> None:
    make_reader("reader@example.com")
    client = Client()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "READER@example.com", "wrong-guess")
    assert sign_in(client, "reader@EXAMPLE.com").status_code == 302
    client.post("/accounts/sign-out/")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "Reader@example.com", "wrong-guess").status_code == 200


@sends_mail
def test_signing_up_again_in_another_spelling_opens_no_second_account(
    make_reader: MakeReader,
) -> None:
    make_reader("taken@example.com")
    response = Client().post(
        "/accounts/sign-up/", {"email": "  Taken@EXAMPLE.com ", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert User.objects.count() == 1
    assert [message.to for message in mail.outbox] == [["taken@example.com"]]
    assert "You already have an account" in mail.outbox[0].body


@sends_mail
def test_a_new_account_is_stored_in_the_normal_form(client: Client) -> None:
    client.post("/accounts/sign-up/", {"email": " New.Reader@Example.COM ", "password": PASSWORD})
    assert list(User.objects.values_list("email", flat=True)) == ["new.reader@example.com"]


@sends_mail
@pytest.mark.parametrize("spelling", ["READER@EXAMPLE.COM", " Reader@example.com "])
def test_a_reset_link_reaches_the_account_in_any_spelling(
    make_reader: MakeReader, spelling: str
) -> None:
    make_reader("reader@example.com")
    response = Client().post("/accounts/reset/", {"email": spelling})
    assert response.status_code == 302
    assert [message.to for message in mail.outbox] == [["reader@example.com"]]
    assert "/accounts/reset/" in mail.outbox[0].body


@sends_mail
def test_the_reset_mail_limit_counts_every_spelling_of_an_address(
    settings: Any, make_reader: MakeReader
) -> None:
    settings.ACCOUNTS_EMAILS_PER_HOUR = 2
    make_reader("reader@example.com")
    for spelling in ["reader@example.com", "READER@example.com", "Reader@Example.com"]:
        Client().post("/accounts/reset/", {"email": spelling})
    assert len(mail.outbox) == 2


def test_the_database_refuses_a_second_account_in_another_case(make_reader: MakeReader) -> None:
    make_reader("reader@example.com")
    with pytest.raises(IntegrityError):
        User.objects.bulk_create([User(email="Reader@example.com")])


def test_the_database_refuses_an_address_that_is_not_normalised(db: None) -> None:
    with pytest.raises(IntegrityError):
        User.objects.bulk_create([User(email="Someone@Example.com")])


def test_staff_typing_an_address_in_the_admin_store_its_normal_form(
    admin_client: Client, make_reader: MakeReader
) -> None:
    reader = make_reader("reader@example.com")
    page = admin_client.get(f"/admin/accounts/user/{reader.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(email=" Renamed@Example.COM ", groups=[])
    data.update({f"display_names-{key}": value for key, value in
                 {"TOTAL_FORMS": 0, "INITIAL_FORMS": 0, "MIN_NUM_FORMS": 0,
                  "MAX_NUM_FORMS": 1000}.items()})  # fmt: skip
    response = admin_client.post(f"/admin/accounts/user/{reader.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    reader.refresh_from_db()
    assert reader.email == "renamed@example.com"
