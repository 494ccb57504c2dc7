"""The community guidelines page: anchors for decisions, edited by editors, linked from the box."""

from typing import Any

import pytest
from django.test import Client

from broadsheet.accounts.models import User
from broadsheet.appeals.models import Guideline
from broadsheet.core.models import AuditEntry
from broadsheet.stories.models import Story

from .conftest import signed_in

pytestmark = pytest.mark.django_db


def test_the_page_lists_every_section_with_its_anchor() -> None:
    page = Client().get("/guidelines/").content.decode()
    for slug in ("respect", "no-hate", "no-threats", "no-spam", "on-topic", "accuracy", "the-law"):
        assert f'id="{slug}"' in page
    assert 'href="/notices/new/"' in page


def test_an_editor_rewrites_a_section_in_the_admin_through_the_sanitiser(editor: User) -> None:
    from django.contrib.auth.models import Group

    Group.objects.get(name="Editors")
    editor.is_staff = True
    editor.save()
    guideline = Guideline.objects.get(slug="respect")
    client = signed_in(User.objects.get(pk=editor.pk))
    response = client.post(
        f"/admin/appeals/guideline/{guideline.pk}/change/",
        {"title": "Be kind", "position": 0,
         "body": "**Argue** with ideas.<script>alert(1)</script> [x](javascript:alert(1))"},
    )  # fmt: skip
    assert response.status_code == 302
    guideline.refresh_from_db()
    assert guideline.title == "Be kind"
    assert guideline.slug == "respect"  # the anchor decisions link to does not change
    assert "<strong>Argue</strong>" in guideline.body_html
    assert "<script" not in guideline.body_html
    assert 'href="javascript' not in guideline.body_html
    assert AuditEntry.objects.filter(action="appeals:guideline:changed").count() == 1
    assert "<strong>Argue</strong>" in Client().get("/guidelines/").content.decode()


def test_readers_and_moderators_cannot_edit_them(reader: User, moderator: User) -> None:
    guideline = Guideline.objects.get(slug="respect")
    for user in (reader, moderator):
        response = signed_in(user).post(
            f"/admin/appeals/guideline/{guideline.pk}/change/",
            {"title": "Hijacked", "position": 0, "body": "x"},
        )
        assert response.status_code in (302, 403)
    assert Guideline.objects.get(pk=guideline.pk).title == "Be respectful"


def test_the_comment_box_links_to_the_guidelines(demo: dict[str, Any]) -> None:
    story = Story.objects.filter(status=Story.Status.PUBLISHED).order_by("pk").first()
    assert story is not None
    member = signed_in(demo["users"]["member@example.com"])
    stream = member.get(f"/comments/story/{story.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert 'href="/guidelines/"' in stream
    assert "Our community guidelines" in stream
