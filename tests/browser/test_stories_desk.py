"""An editor writes, previews and publishes a story in the admin, in a real Chromium."""

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import Page, expect

from broadsheet.accounts.models import User
from broadsheet.stories.models import Section, Story

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_editor_writes_previews_and_publishes(
    page: Page, live_server: Any, screenshot_dir: Path
) -> None:
    Section.objects.create(name="World", slug="world")
    editor = User.objects.create_user(
        "desk@example.com", "a long desk password", is_staff=True, display_name="Desk Editor"
    )
    editor.groups.add(Group.objects.get(name="Editors"))
    page.set_viewport_size({"width": 1280, "height": 900})

    page.goto(live_server.url + "/admin/login/?next=/admin/stories/story/add/")
    page.get_by_label("E-mail address").fill("desk@example.com")
    page.get_by_label("Password").fill("a long desk password")
    page.get_by_role("button", name="Log in").click()

    page.get_by_label("Headline").fill("Ferry service resumes after strike")
    page.get_by_label("Section").select_option(label="World")
    page.locator("#id_body").fill(
        "Ferries ran again on **Tuesday**.\n\n## What changes\n\nNothing."
    )
    page.screenshot(path=screenshot_dir / "stories-desk-add-1280.png", full_page=True)
    page.get_by_role("button", name="Save and preview").first.click()

    expect(page.locator(".preview-banner")).to_contain_text("draft")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ferry service resumes after strike")
    expect(page.locator(".story__body strong")).to_have_text("Tuesday")
    page.screenshot(path=screenshot_dir / "stories-desk-preview-1280.png", full_page=True)

    page.goto(live_server.url + "/admin/stories/story/")
    page.get_by_role("checkbox", name="Select this object for an action").first.check()
    page.get_by_label("Action:").select_option(label="Publish the selected stories now")
    page.get_by_role("button", name="Run").click()
    expect(page.get_by_text("Published 1 stor")).to_be_visible()
    page.screenshot(path=screenshot_dir / "stories-desk-list-1280.png", full_page=True)

    story = Story.objects.get()
    page.goto(live_server.url + story.get_absolute_url())
    expect(page.get_by_role("heading", level=2, name="What changes")).to_be_visible()
