"""Sessions in two real browsers: what one device does ends the other's session.

Context A and context B are two separate browsers (separate cookie jars) signed in as the
same reader, as a laptop and a phone would be.
"""

from typing import Any

import pytest
from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore
from playwright.sync_api import Browser, BrowserContext, Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "member@example.com"
NEW_PASSWORD = "Lighthouse-Keeper-77"


def session_cookie(context: BrowserContext) -> str | None:
    return next(
        (c["value"] for c in context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME),
        None,
    )


def sign_in(page: Page, base_url: str, password: str = settings.DEMO_PASSWORD) -> None:
    page.goto(base_url + "/accounts/sign-in/?next=/accounts/security/")
    page.get_by_label("E-mail address").fill(EMAIL)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Sign-in and security")).to_be_visible()


def is_signed_in(page: Page, base_url: str) -> bool:
    page.goto(base_url + "/accounts/security/")
    return "/accounts/sign-in/" not in page.url


@pytest.fixture
def two_devices(browser: Browser, live_server: Any, demo: dict[str, Any]) -> Any:
    laptop, phone = browser.new_context(), browser.new_context()
    yield laptop, phone
    laptop.close()
    phone.close()


def test_signing_in_replaces_a_session_id_planted_beforehand(
    two_devices: Any, live_server: Any
) -> None:
    """Session fixation: an attacker's known session id must not become a signed-in one."""
    laptop, _ = two_devices
    planted = SessionStore()
    planted["planted"] = True
    planted.create()
    laptop.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": planted.session_key,
          "url": live_server.url}]
    )  # fmt: skip
    page = laptop.new_page()

    sign_in(page, live_server.url)

    assert session_cookie(laptop) not in (None, planted.session_key)
    attacker = laptop.browser.new_context()  # type: ignore[union-attr]
    attacker.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": planted.session_key,
          "url": live_server.url}]
    )  # fmt: skip
    assert not is_signed_in(attacker.new_page(), live_server.url)
    attacker.close()


def test_changing_the_password_on_one_device_signs_the_other_out(
    two_devices: Any, live_server: Any
) -> None:
    laptop, phone = two_devices
    on_laptop, on_phone = laptop.new_page(), phone.new_page()
    sign_in(on_laptop, live_server.url)
    sign_in(on_phone, live_server.url)

    on_phone.get_by_label("Current password").fill(settings.DEMO_PASSWORD)
    on_phone.locator("#id_new_password1").fill(NEW_PASSWORD)
    on_phone.locator("#id_new_password2").fill(NEW_PASSWORD)
    on_phone.get_by_role("button", name="Change password").click()
    expect(on_phone.get_by_text("Your password is changed")).to_be_visible()

    assert not is_signed_in(on_laptop, live_server.url)
    assert is_signed_in(on_phone, live_server.url)  # the device that changed it stays in
    sign_in(on_laptop, live_server.url, NEW_PASSWORD)


def test_signing_out_everywhere_on_one_device_ends_the_other_session(
    two_devices: Any, live_server: Any
) -> None:
    laptop, phone = two_devices
    on_laptop, on_phone = laptop.new_page(), phone.new_page()
    sign_in(on_laptop, live_server.url)
    sign_in(on_phone, live_server.url)
    laptop_cookie = session_cookie(laptop)

    on_phone.get_by_role("button", name="Sign out everywhere").click()
    expect(on_phone.get_by_text("signed out on every device")).to_be_visible()

    assert session_cookie(laptop) == laptop_cookie  # the laptop still holds its old cookie...
    assert not is_signed_in(on_laptop, live_server.url)  # ...and it no longer signs it in
    assert not is_signed_in(on_phone, live_server.url)
