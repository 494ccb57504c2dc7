"""A reader's data in a real Chromium: download it, and ask to leave then come back."""

import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "member@example.com"
PASSWORD = "broadsheet-demo"


def sign_in(page: Page, base: str) -> None:
    page.goto(base + "/accounts/sign-in/")
    page.get_by_label("E-mail address").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.parametrize("width", [390, 1280])
def test_a_reader_downloads_their_data_asks_to_leave_and_signs_in_to_stay(
    page: Page,
    live_server: Any,
    demo: dict[str, Any],
    screenshot_dir: Path,
    settings: Any,
    tmp_path: Path,
    width: int,
) -> None:
    settings.DATA_EXPORT_DIR = tmp_path / "exports"
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server.url)
    page.goto(live_server.url + "/accounts/security/")
    page.get_by_role("link", name="Your data").click()
    expect(page.get_by_role("heading", name="Download your data")).to_be_visible()

    # The worker runs at once in tests: the file is ready when the page comes back.
    page.get_by_role("button", name="Prepare my file").click()
    expect(page.get_by_text("We are preparing your file.")).to_be_visible()
    page.reload()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the file").click()
    data = json.loads(Path(download_info.value.path()).read_text())
    assert data["account"]["email"] == EMAIL
    page.screenshot(path=screenshot_dir / f"privacy-data-{width}.png", full_page=True)

    # A wrong password is explained, and nothing happens.
    page.get_by_label("Keep my comments").check()
    page.get_by_label("Your password").fill("not my password")
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_text("That is not your password.")).to_be_visible()
    expect(page.get_by_label("Keep my comments")).to_be_checked()
    page.screenshot(path=screenshot_dir / f"privacy-delete-error-{width}.png", full_page=True)

    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_text("Your account will be deleted on")).to_be_visible()
    page.screenshot(path=screenshot_dir / f"privacy-deletion-scheduled-{width}.png", full_page=True)

    # Signing in during the grace period keeps the account.
    page.get_by_label("E-mail address").fill(EMAIL)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Your account will not be deleted")).to_be_visible()

    # Changing the address: a bad address is explained on the page.
    page.goto(live_server.url + "/accounts/security/")
    page.get_by_role("link", name="Change your e-mail address").click()
    page.get_by_label("New e-mail address").fill("member-at-example.com")
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_text("Enter a whole e-mail address")).to_be_visible()
    page.screenshot(path=screenshot_dir / f"privacy-change-email-{width}.png", full_page=True)
