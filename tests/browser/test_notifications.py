"""Notifications in a real Chromium: the e-mail's unsubscribe link signed out, and muting
seen from both sides at once (two browser contexts, two readers).

Screenshots land in var/screenshots/notifications-*.png.
"""

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import Browser, BrowserContext, Page, expect

from broadsheet.accounts.models import User
from broadsheet.comments import services as comments
from broadsheet.notifications.models import Preferences
from broadsheet.stories.models import Story
from tests.browser.accessibility import serious_violations
from tests.notifications.smtp import Mailbox, mailbox, smtp_server  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STORY = "city-council-approves-night-bus-network"


@pytest.fixture(autouse=True)
def _no_rate_limits(settings: Any) -> None:
    settings.COMMENT_RATE_LIMIT_SECONDS = 0


def signed_in_context(browser: Browser, live_server: Any, user: User) -> BrowserContext:
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return context


def test_the_unsubscribe_link_in_a_reply_email_works_signed_out(
    page: Page,
    live_server: Any,
    demo: dict[str, Any],
    mailbox: Mailbox,  # noqa: F811
    settings: Any,
    screenshot_dir: Path,
) -> None:
    settings.SITE_URL = live_server.url
    users = demo["users"]
    member, editor = users["member@example.com"], users["editor@example.com"]
    story = Story.objects.get(slug=STORY)
    mine = comments.post_comment(member, story, "Night buses at last.")
    comments.reply_to(editor, mine.pk, "They start in March.")
    [message] = mailbox.to("member@example.com")
    html = message.get_body(preferencelist=("html",))
    assert html is not None

    # The e-mail as a mail program shows it; its link opens the site, signed out.
    page.set_content(str(html.get_content()))
    page.screenshot(path=screenshot_dir / "notifications-reply-email.png", full_page=True)
    page.get_by_role("link", name="Unsubscribe").click()
    expect(page.get_by_role("heading", name="Unsubscribe")).to_be_visible()
    expect(page.get_by_text("Stop e-mails about replies to your comments?")).to_be_visible()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()  # nobody is signed in
    page.get_by_role("button", name="Unsubscribe").click()
    expect(page.get_by_role("heading", name="You are unsubscribed")).to_be_visible()
    page.screenshot(path=screenshot_dir / "notifications-unsubscribed.png", full_page=True)
    assert Preferences.objects.get(reader=member).replies == "site"

    comments.reply_to(users["moderator@example.com"], mine.pk, "One more reply.")
    assert len(mailbox.to("member@example.com")) == 1


def test_muting_seen_by_the_muter_and_by_the_muted_reader(
    browser: Browser, live_server: Any, demo: dict[str, Any], screenshot_dir: Path
) -> None:
    users = demo["users"]
    member, editor = users["member@example.com"], users["editor@example.com"]
    story = Story.objects.get(slug=STORY)
    theirs = comments.post_comment(editor, story, "A comment the member tires of.")
    url = f"{live_server.url}{story.get_absolute_url()}?sort=newest#comments"

    muter = signed_in_context(browser, live_server, member).new_page()
    muted = signed_in_context(browser, live_server, editor).new_page()
    muter.goto(url)
    muter.locator(f"#comment-{theirs.pk}").get_by_role("link", name="Mute").click()
    muter.get_by_role("button", name="Mute Mara Lindqvist").click()
    expect(muter.locator(".message--success")).to_contain_text("You muted Mara Lindqvist.")

    muter.goto(url)
    collapsed = muter.locator(f"#comment-{theirs.pk}")
    expect(collapsed).to_contain_text("Comment from a muted reader — show")
    expect(collapsed.get_by_text("A comment the member tires of.")).to_be_hidden()
    muter.screenshot(path=screenshot_dir / "notifications-muter-collapsed.png", full_page=True)
    collapsed.get_by_text("Comment from a muted reader").click()
    expect(collapsed.get_by_text("A comment the member tires of.")).to_be_visible()

    # The muted reader sees nothing different, anywhere.
    muted.goto(url)
    own = muted.locator(f"#comment-{theirs.pk}")
    expect(own.get_by_text("A comment the member tires of.")).to_be_visible()
    expect(muted.get_by_text("muted reader")).to_have_count(0)
    muted.goto(f"{live_server.url}/notifications/")
    expect(muted.get_by_text("mute", exact=False)).to_have_count(0)
    muted.screenshot(path=screenshot_dir / "notifications-muted-unaware.png", full_page=True)

    # The muter can undo it from the account page.
    muter.goto(f"{live_server.url}/accounts/muted/")
    muter.get_by_role("button", name="Unmute Mara Lindqvist").click()
    muter.goto(url)
    expect(
        muter.locator(f"#comment-{theirs.pk}").get_by_text("A comment the member tires of.")
    ).to_be_visible()


def test_the_notifications_pages_read_well_and_pass_axe(
    browser: Browser, live_server: Any, demo: dict[str, Any], screenshot_dir: Path
) -> None:
    users = demo["users"]
    member = users["member@example.com"]
    story = Story.objects.get(slug=STORY)
    mine = comments.post_comment(member, story, "Night buses at last.")
    comments.reply_to(users["editor@example.com"], mine.pk, "They start in March.")
    page = signed_in_context(browser, live_server, member).new_page()
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("link", name="Notifications 1 unread")).to_be_visible()
    for path, name in [
        ("/accounts/notifications/", "settings"),
        ("/accounts/muted/", "muted"),
        ("/notifications/", "inbox"),
    ]:
        page.goto(live_server.url + path)
        page.screenshot(path=screenshot_dir / f"notifications-{name}.png", full_page=True)
        assert serious_violations(page) == [], path
    page.get_by_role("link", name="Mara Lindqvist replied to your comment").click()
    expect(page.locator(".comment", has_text="They start in March.").first).to_be_visible()
    page.goto(f"{live_server.url}/")
    expect(page.locator("#unread-count")).to_have_count(0)
