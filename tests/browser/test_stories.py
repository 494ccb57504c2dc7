"""The home page, a section page and a story page in Chromium, on a phone and a desktop."""

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LEAD = "japan-quietly-helped-former-north-korean-official-return"


@pytest.mark.parametrize("width", [390, 1280])
def test_front_section_and_story_pages(
    page: Page, live_server: Any, demo: dict[str, Any], screenshot_dir: Path, width: int
) -> None:
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    page.set_viewport_size({"width": width, "height": 900})

    page.goto(live_server.url + "/")
    lead = demo["stories"][LEAD]
    expect(page.get_by_role("link", name=lead.headline)).to_be_visible()
    expect(page.get_by_role("heading", name="Politics", level=2)).to_be_visible()
    no_sideways_scroll(page)
    page.screenshot(path=screenshot_dir / f"stories-home-{width}.png", full_page=True)

    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Politics").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Politics")
    expect(page.get_by_role("link", name="Council approves a night bus network")).to_be_visible()
    no_sideways_scroll(page)
    page.screenshot(path=screenshot_dir / f"stories-section-{width}.png", full_page=True)

    page.goto(live_server.url + lead.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(lead.headline)
    expect(page.locator(".story__body")).to_contain_text("Red Cross")
    expect(page.get_by_role("link", name="North Korea")).to_be_visible()
    # The body keeps a readable measure: no line longer than about 75 characters.
    measure = page.locator(".story__body p").first.bounding_box()
    assert measure is not None
    assert measure["width"] <= 700
    no_sideways_scroll(page)
    page.screenshot(path=screenshot_dir / f"stories-story-{width}.png", full_page=True)

    page.goto(live_server.url + "/search/?q=mussels")
    expect(
        page.get_by_role("link", name="Native mussels are returning to the lake, survey finds")
    ).to_be_visible()
    page.screenshot(path=screenshot_dir / f"stories-search-{width}.png", full_page=True)

    page.goto(live_server.url + "/story/harbour-warehouses-become-housing/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Old harbour warehouses to become 400 homes"
    )
    page.screenshot(path=screenshot_dir / f"stories-premium-{width}.png", full_page=True)
    assert not [e for e in errors if "Content Security Policy" in e], errors


def no_sideways_scroll(page: Page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow}px"
