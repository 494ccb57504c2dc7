"""Readers to test the accounts app with, created the way the product creates them."""

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from broadsheet.accounts.models import User

PASSWORD = "Marmalade-Skies-42"
BACKEND = "django.contrib.auth.backends.ModelBackend"

MakeReader = Callable[..., User]

# E-mail leaves after the transaction commits, so tests that read it commit for real.
sends_mail = pytest.mark.django_db(transaction=True)


@pytest.fixture
def make_reader(db: Any) -> MakeReader:
    def make(email: str = "reader@example.com", *, verified: bool = True) -> User:
        user = User.objects.create_user(email, PASSWORD)
        if verified:
            user.email_verified_at = timezone.now()
            user.save(update_fields=["email_verified_at"])
        return user

    return make


@pytest.fixture
def reader(make_reader: MakeReader) -> User:
    return make_reader()


@pytest.fixture
def reader_client(reader: User) -> Client:
    client = Client()
    client.force_login(reader, backend=BACKEND)
    return client


def without_token(html: str) -> str:
    """A page with its per-request CSRF token and nonces blanked, to compare two answers."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    html = re.sub(r'"X-CSRFToken": "[^"]+"', "", html)
    return re.sub(r'nonce="[^"]+"', "", html)


def sign_in(client: Client, email: str, password: str = PASSWORD) -> Any:
    return client.post("/accounts/sign-in/", {"username": email, "password": password})
