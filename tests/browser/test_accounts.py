"""A new reader in a real Chromium: sign up, confirm the address, choose a display name."""

import re
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "tidewater.reader@example.com"
PASSWORD = "Marmalade-Skies-42"


def confirmation_link() -> str:
    message = next(message for message in mail.outbox if message.to == [EMAIL])
    match = re.search(r"https?://\S+/accounts/verify/\S+/", message.body)
    assert match, message.body
    return match.group(0)


@pytest.mark.parametrize("width", [390, 1280])
def test_a_new_reader_signs_up_confirms_and_chooses_a_display_name(
    page: Page, live_server: Any, demo: dict[str, Any], screenshot_dir: Path, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    mail.outbox.clear()

    # Sign up; a weak password is explained first.
    page.goto(live_server.url + "/accounts/sign-up/")
    page.get_by_label("E-mail address").fill(EMAIL)
    page.get_by_label("Password").fill("12345678")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("This password is too common.")).to_be_visible()
    page.screenshot(path=screenshot_dir / f"accounts-sign-up-{width}.png", full_page=True)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Check your inbox")).to_be_visible()

    # Confirming the address from the captured message signs the reader in.
    page.goto(confirmation_link())
    expect(page.get_by_role("heading", name="Your e-mail address is confirmed")).to_be_visible()
    expect(page.locator("main")).to_contain_text("you are signed in")
    page.goto(live_server.url + "/accounts/profile/")
    expect(page.get_by_role("heading", name="Profile")).to_be_visible()

    # With a commenting plan, the story's gate asks for a display name and links to it.
    from broadsheet.accounts.models import User
    from broadsheet.subscriptions.services import subscribe

    card = {"number": "4242424242424242", "exp": "12/30", "cvc": "123"}
    subscribe(
        User.objects.get(email=EMAIL), plan="digital-plus", card=card, idempotency_key="j" * 32
    )
    story = demo["stories"]["japan-quietly-helped-former-north-korean-official-return"]
    story_path = story.get_absolute_url()
    page.goto(live_server.url + story_path)
    gate = page.locator("#comments")
    expect(gate).to_contain_text("please create a display name in the Profile section")
    gate.get_by_role("link", name="Profile section").click()
    expect(page).to_have_url(re.compile(r"/accounts/profile/\?next="))
    name_field = page.get_by_label("Display name")
    expect(name_field).to_be_visible()
    expect(page.locator("#display-name-rules")).to_contain_text("3 to 30 characters")

    # A demo reader already goes by "Harbour Watcher": a look-alike is refused too.
    name_field.fill("Harbour Wаtcher")  # noqa: RUF001 - a Cyrillic a
    # Told while typing (htmx), and again by the server when the form is sent.
    # The first check in a fresh process loads the classifier, which takes a few seconds.
    expect(page.locator("#display-name-check")).to_contain_text(
        "That name is taken", timeout=30_000
    )
    page.get_by_role("button", name="Save profile").click()
    expect(page.get_by_role("alert")).to_contain_text("That name is taken")
    expect(page.get_by_label("Display name")).to_have_value("Harbour Wаtcher")  # noqa: RUF001
    page.screenshot(path=screenshot_dir / f"accounts-profile-error-{width}.png", full_page=True)

    page.get_by_label("Display name").fill("Tidewater Reader")
    expect(page.locator("#display-name-check")).to_contain_text("is free")
    page.get_by_role("button", name="Save profile").click()
    expect(page).to_have_url(live_server.url + story_path + "#comments")
    expect(page.get_by_role("heading", level=1)).to_have_text(story.headline)
    expect(page.get_by_text("Your profile is saved.")).to_be_visible()

    # Back on the story, able to comment, under the new name.
    page.get_by_label("Join the conversation").fill("Glad this came out at last.")
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator("#comments")).to_contain_text("Glad this came out at last.")
    expect(page.locator("#comments")).to_contain_text("Tidewater Reader")

    page.goto(live_server.url + "/accounts/security/")
    expect(page.get_by_text("Confirmed", exact=True)).to_be_visible()
    page.screenshot(path=screenshot_dir / f"accounts-security-{width}.png", full_page=True)


@pytest.mark.parametrize("width", [390, 1280])
def test_repeated_wrong_passwords_pause_signing_in(
    page: Page, live_server: Any, demo: dict[str, Any], screenshot_dir: Path, width: int
) -> None:
    from django.conf import settings

    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/accounts/sign-in/")
    for attempt in range(settings.AXES_FAILURE_LIMIT):
        page.get_by_label("E-mail address").fill("member@example.com")
        page.get_by_label("Password").fill(f"guess-{attempt}")
        page.get_by_role("button", name="Sign in").click()
        if attempt == 0:
            expect(page.get_by_role("alert")).to_contain_text("do not match an account")
            page.screenshot(path=screenshot_dir / f"accounts-sign-in-error-{width}.png")
    expect(page.get_by_role("heading", name="Too many sign-in attempts")).to_be_visible()
    expect(page.get_by_role("link", name="choose a new one by e-mail")).to_be_visible()
    page.screenshot(path=screenshot_dir / f"accounts-locked-out-{width}.png", full_page=True)
