"""Editors register newsroom sites in the admin; the signing secret is shown once."""

import re
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from broadsheet.accounts.models import User
from broadsheet.embed.models import Site, SiteSecret

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(demo: Any) -> Client:
    user = User.objects.create_user("desk@example.com", "a long enough password", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    client = Client()
    client.force_login(user)
    return client


def shown_secret(response: Any) -> str:
    found = re.findall(
        r"signing secret of [^<]* is ([A-Za-z0-9_-]{40,})", response.content.decode()
    )
    assert found, "the secret is shown"
    return str(found[-1])


def test_an_editor_registers_a_site_and_sees_its_secret_once(editor: Client) -> None:
    response = editor.post(
        "/admin/embed/site/add/",
        {
            "name": "Harbour Gazette",
            "key": "gazette",
            "allowed_origins": "https://News.Example.com/\nhttp://127.0.0.1:8080",
            "create_stories": "on",
            "sign_in_url": "",
        },
        follow=True,
    )
    secret = shown_secret(response)
    site = Site.objects.get(key="gazette")
    assert site.origins == ["https://news.example.com", "http://127.0.0.1:8080"]
    assert SiteSecret.objects.get(site=site).secret == secret
    page = editor.get(f"/admin/embed/site/{site.pk}/change/").content.decode()
    listing = editor.get("/admin/embed/site/").content.decode()
    assert secret not in page
    assert secret not in listing


def test_origins_must_be_origins(editor: Client) -> None:
    response = editor.post(
        "/admin/embed/site/add/",
        {"name": "Bad", "key": "bad", "allowed_origins": "news.example.com/articles"},
    )
    assert "is not an origin: write it as https://news.example.com." in response.content.decode()
    assert not Site.objects.filter(key="bad").exists()


def test_rotating_keeps_the_old_secret_for_the_grace_period(editor: Client) -> None:
    editor.post(
        "/admin/embed/site/add/",
        {"name": "Gazette", "key": "gazette", "allowed_origins": "https://news.example.com"},
        follow=True,
    )
    site = Site.objects.get(key="gazette")
    response = editor.post(
        "/admin/embed/site/",
        {"action": "rotate_secret", "_selected_action": [site.pk]},
        follow=True,
    )
    new = shown_secret(response)
    old, current = SiteSecret.objects.filter(site=site).order_by("created_at", "pk")
    assert current.secret == new
    assert current.expires_at is None
    assert old.expires_at is not None
    hours = (old.expires_at - current.created_at).total_seconds() / 3600
    assert hours == pytest.approx(48)
