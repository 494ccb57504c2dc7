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


def admin_form_data(editor: Client, story_pk: int) -> dict[str, Any]:
    """What the story's change page would post back unchanged."""
    form = editor.get(f"/admin/stories/story/{story_pk}/change/").context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    # The inline corrections and updates: none added.
    data |= {"notes-TOTAL_FORMS": "0", "notes-INITIAL_FORMS": "0"}
    return {name: "" if value is None else value for name, value in data.items()}


def test_an_editor_changes_an_embedded_pages_comment_settings_without_a_section(
    editor: Client,
) -> None:
    from broadsheet.embed import services
    from broadsheet.stories.models import Story

    site = Site.objects.create(name="Gazette", key="gazette", allowed_origins="https://g.example")
    story = services.create_page_story(site, "2026/harbour", "https://g.example/h", "Harbour")
    data = admin_form_data(editor, story.pk) | {"comment_mode": "closed"}
    response = editor.post(f"/admin/stories/story/{story.pk}/change/", data)
    assert response.status_code == 302
    assert Story.objects.get(pk=story.pk).comment_mode == "closed"
    # A story of this site's own still needs its section.
    own = Story.objects.filter(external_url="").first()
    assert own is not None
    data = admin_form_data(editor, own.pk) | {"section": ""}
    response = editor.post(f"/admin/stories/story/{own.pk}/change/", data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["section"] == ["This field is required."]
