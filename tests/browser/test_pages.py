"""The front page and a story page in a real Chromium, with screenshots to look at."""

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.browser.accessibility import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [390, 1280])
def test_home_and_story_pages(
    page: Page, live_server: Any, demo: dict[str, Any], screenshot_dir: Path, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/")
    expect(page.get_by_role("banner")).to_contain_text("Broadsheet")
    lead = demo["stories"]["japan-quietly-helped-former-north-korean-official-return"]
    expect(page.get_by_role("link", name=lead.headline)).to_be_visible()
    page.screenshot(path=screenshot_dir / f"home-{width}.png", full_page=True)
    assert serious_violations(page) == []

    page.get_by_role("link", name=lead.headline).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(lead.headline)
    expect(page.locator(".story__body")).to_contain_text("Red Cross")
    page.screenshot(path=screenshot_dir / f"story-{width}.png", full_page=True)
    assert serious_violations(page) == []
