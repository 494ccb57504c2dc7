"""Live streams in Chromium, on the real site (page workers and live workers of their own).

Screenshots land in var/screenshots/live-*.png.
"""

import os
import signal
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.servers import DEMO_PASSWORD, ServerPool, SiteServer

pytestmark = pytest.mark.browser

STORY = "city-council-approves-night-bus-network"


@pytest.fixture(scope="module")
def site(site_servers: ServerPool) -> SiteServer:
    return site_servers.get(workers=2, env={"LIVE_WORKERS": "2", "COMMENT_RATE_LIMIT_SECONDS": "0"})


@pytest.fixture
def contexts(browser: Browser) -> Iterator[list[BrowserContext]]:
    opened: list[BrowserContext] = []
    yield opened
    for context in opened:
        context.close()


def reader_page(
    browser: Browser, contexts: list[BrowserContext], site: SiteServer, email: str = "",
    width: int = 1280, sort: str = "newest",
) -> Page:  # fmt: skip
    context = browser.new_context(viewport={"width": width, "height": 900})
    contexts.append(context)
    page = context.new_page()
    if email:
        page.goto(f"{site.url}/accounts/sign-in/")
        page.fill("input[name=username]", email)
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{site.url}/**")
    page.goto(f"{site.url}/story/{STORY}/?sort={sort}#comments")
    page.wait_for_function("() => document.getElementById('comment-stream')")
    page.wait_for_timeout(500)  # the streams connect
    return page


def write_comment(page: Page, text: str) -> None:
    composer = page.locator("form.composer--new")
    composer.locator("textarea").fill(text)
    composer.locator("button[type=submit]").click()


def test_a_comment_appears_for_other_readers_within_two_seconds(
    browser: Browser, contexts: list[BrowserContext], site: SiteServer, screenshot_dir: Path
) -> None:
    visitor = reader_page(browser, contexts, site, width=390)
    other_reader = reader_page(browser, contexts, site, "free@example.com")
    author = reader_page(browser, contexts, site, "member@example.com")
    text = f"Live from the depot at {time.time_ns()}."
    write_comment(author, text)
    # Posted (the author's own page shows it): from here the others have two seconds.
    expect(author.locator("#comment-stream").get_by_text(text)).to_be_visible(timeout=20000)
    for page in (visitor, other_reader):
        expect(page.locator(".stream__list").get_by_text(text)).to_be_visible(timeout=2000)
    # The signed-in reader's copy carries their own controls (Recommend is a button for them).
    comment = other_reader.locator("article.comment", has_text=text)
    expect(comment.locator("button.recommend__button")).to_be_visible(timeout=3000)
    expect(visitor.locator("[data-live-count]")).not_to_have_text("Comments")
    visitor.screenshot(path=screenshot_dir / "live-visitor-390.png", full_page=True)
    # In another sort the comment waits behind a bar until the reader asks for it.
    picks = reader_page(browser, contexts, site, sort="oldest")
    write_comment(author, text + " Again.")
    expect(author.get_by_text(text + " Again.")).to_be_visible(timeout=20000)
    expect(picks.locator("#stream-new")).to_have_text("1 new comment — show", timeout=2000)
    picks.locator("#stream-new").click()
    expect(picks.get_by_text(text + " Again.")).to_be_visible()
    other_reader.screenshot(path=screenshot_dir / "live-reader-1280.png", full_page=True)


def test_a_held_comment_shows_to_its_author_only_until_a_moderator_approves_it(
    browser: Browser, contexts: list[BrowserContext], site: SiteServer, screenshot_dir: Path
) -> None:
    moderator = site.visitor().signed_in("moderator@example.com")
    moderator.post("/desk/terms/", data={"text": "gasworksish", "kind": "suspect"})
    visitor = reader_page(browser, contexts, site)
    author = reader_page(browser, contexts, site, "member@example.com")
    text = f"A gasworksish view, {time.time_ns()}."
    write_comment(author, text)
    held = author.locator(".stream__awaiting article", has_text=text)
    expect(held).to_be_visible(timeout=20000)
    expect(held.locator(".badge--pending")).to_have_text("awaiting review")
    author.screenshot(path=screenshot_dir / "live-held-author-1280.png", full_page=True)
    visitor.wait_for_timeout(1500)
    expect(visitor.get_by_text(text)).to_have_count(0)

    item = moderator.get("/api/moderation/queues/pending").json()
    pending = next(c for c in item["items"] if text in c["body_html"])
    decided = moderator.post(
        f"/api/moderation/comments/{pending['id']}/decision",
        json={"action": "approve", "revision": pending["revision"], "status": "pending"},
    )
    assert decided.status_code == 200, decided.text
    expect(visitor.locator(".stream__list").get_by_text(text)).to_be_visible(timeout=2000)
    expect(author.locator("#comment-stream").get_by_text(text)).to_be_visible(timeout=2000)
    expect(author.locator(".stream__awaiting")).to_have_count(0)


def test_the_page_catches_up_after_the_live_server_restarts(
    browser: Browser, contexts: list[BrowserContext], site: SiteServer
) -> None:
    visitor = reader_page(browser, contexts, site)
    member = site.visitor().signed_in("member@example.com")
    live = site.server_pid("live")
    os.kill(live, signal.SIGKILL)  # the supervisor starts it again
    text = f"Posted while the live server was down, {time.time_ns()}."
    posted = member.post(
        f"/api/comments/stories/{STORY}/comments", json={"text": text, "token": str(time.time())}
    )
    assert posted.status_code == 201, posted.text
    expect(visitor.locator(".stream__list").get_by_text(text)).to_be_visible(timeout=15000)
    assert site.server_pid("live") != live
