"""The site in Japanese, in a real Chromium: from the browser's language, and from the picker."""

# ruff: noqa: RUF001 - Japanese text is written with full-width punctuation

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import Browser, Page, expect

from broadsheet.stories.models import Story
from tests.browser.accessibility import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STORY = "city-council-approves-night-bus-network"


def sign_in(page: Page, live_server: Any, demo: dict[str, Any], email: str) -> None:
    client = Client()
    client.force_login(demo["users"][email])
    cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": django_settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


@pytest.mark.parametrize("width", [390, 1280])
def test_a_japanese_browser_gets_the_story_page_in_japanese(
    browser: Browser, live_server: Any, demo: dict[str, Any], screenshot_dir: Path, width: int
) -> None:
    context = browser.new_context(locale="ja-JP", viewport={"width": width, "height": 900})
    page = context.new_page()
    story = Story.objects.get(slug=STORY)
    page.goto(live_server.url + story.get_absolute_url())

    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(page.get_by_role("link", name="本文へ移動")).to_be_attached()
    expect(page.get_by_role("navigation", name="アカウント")).to_contain_text("ログイン")
    gate = page.locator("#comments")
    expect(gate).to_contain_text("ログインするかアカウントを作成して、議論に参加してください。")
    expect(gate.get_by_role("link", name="アカウントを作成")).to_be_visible()
    expect(page.get_by_label("言語")).to_have_value("ja")
    # The story itself is the newsroom's text, not the interface's: it stays as written.
    expect(page.get_by_role("heading", level=1)).to_have_text(story.headline)
    page.screenshot(path=screenshot_dir / f"languages-story-ja-{width}.png", full_page=True)
    assert serious_violations(page) == []
    context.close()


@pytest.mark.parametrize("width", [390, 1280])
def test_a_reader_picks_japanese_and_keeps_it_on_the_account_page(
    browser: Browser, live_server: Any, demo: dict[str, Any], screenshot_dir: Path, width: int
) -> None:
    context = browser.new_context(locale="en-GB", viewport={"width": width, "height": 900})
    page = context.new_page()
    sign_in(page, live_server, demo, "member@example.com")
    page.goto(live_server.url + "/accounts/profile/")
    expect(page.get_by_role("heading", name="Profile", exact=True)).to_be_visible()

    page.get_by_label("Language").select_option("ja")
    page.get_by_role("button", name="Change language").click()

    # Back on the same page, now in Japanese, with the member's name rules in Japanese.
    expect(page).to_have_url(live_server.url + "/accounts/profile/")
    expect(page.get_by_role("heading", name="プロフィール", exact=True)).to_be_visible()
    expect(page.locator("#display-name-rules")).to_contain_text(
        "中国語や日本語の文字（漢字、ひらがな、カタカナ）だけで書く場合は2文字でもよいこと。"
    )
    expect(page.get_by_role("button", name="プロフィールを保存")).to_be_visible()
    page.screenshot(path=screenshot_dir / f"languages-account-ja-{width}.png", full_page=True)
    assert serious_violations(page) == []

    # A two-character Japanese name is accepted (the live check says so before saving).
    page.get_by_label("表示名").fill("港町")
    expect(page.locator("#display-name-check")).to_contain_text(
        "「港町」は使用でき、決まりにも合っています。"
    )
    page.get_by_role("button", name="プロフィールを保存").click()
    expect(page.get_by_role("status")).to_contain_text("プロフィールを保存しました。")

    # The story page follows the choice, comment box and all.
    page.goto(live_server.url + Story.objects.get(slug=STORY).get_absolute_url())
    expect(page.get_by_role("textbox", name="会話に参加する")).to_be_visible()
    expect(page.get_by_role("button", name="コメントを投稿")).to_be_visible()
    page.screenshot(path=screenshot_dir / f"languages-story-member-ja-{width}.png", full_page=True)
    context.close()
