"""The embed in a real Chromium, on a newsroom page served from another site.

Broadsheet runs at http://localhost:PORT and the newsroom at http://127.0.0.1:OTHER, so
the frame is cross-site: its cookies are third-party, and Chromium runs with third-party
cookies blocked. Screenshots land in var/screenshots/embed-*.png.
"""

import functools
import http.server
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
import pytest
from playwright.sync_api import Browser, BrowserType, Page, expect

from broadsheet.embed import services
from broadsheet.embed.models import Site
from tests.conftest import CHROMIUM
from tests.servers import ServerPool, SiteServer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGE_ID = "2026/harbour-reopens"


@pytest.fixture(autouse=True)
def _no_rate_limits(settings: Any) -> None:
    settings.COMMENT_RATE_LIMIT_SECONDS = 0


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def newsroom_dir(tmp_path: Path) -> Path:
    return tmp_path


def _serve(folder: Path) -> Iterator[str]:
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def newsroom(newsroom_dir: Path) -> Iterator[str]:
    """The newsroom's own site: another origin, and another site than Broadsheet's."""
    yield from _serve(newsroom_dir)


@pytest.fixture
def stranger(newsroom_dir: Path) -> Iterator[str]:
    """The same pages from an origin the site never registered."""
    yield from _serve(newsroom_dir)


@pytest.fixture(scope="module")
def blocking_browser(browser_type: BrowserType) -> Iterator[Browser]:
    """Chromium with third-party cookies blocked, as it ships to most readers."""
    if not CHROMIUM.exists():
        pytest.skip("Browser tests need Debian's Chromium: apt-get install -y chromium")
    browser = browser_type.launch(
        executable_path=str(CHROMIUM),
        args=[
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--test-third-party-cookie-phaseout",
        ],
    )
    yield browser
    browser.close()


@pytest.fixture
def site(demo: dict[str, Any], newsroom: str) -> tuple[Site, str]:
    site = Site.objects.create(
        name="Harbour Gazette",
        key="gazette",
        allowed_origins=newsroom,
        create_stories=True,
        subscribe_url=f"{newsroom}/subscribe.html",
    )
    return site, services.issue_secret(site)


def newsroom_page(folder: Path, name: str, broadsheet: str, newsroom: str, token: str = "") -> str:
    """The article page as the newsroom's server renders it for one reader; its address."""
    sso = f' data-sso="{token}"' if token else ""
    (folder / name).write_text(
        f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Harbour reopens · Harbour Gazette</title>
<style>body{{font-family:Georgia,serif;max-width:46rem;margin:2rem auto;padding:0 1rem}}
header{{border-bottom:3px double #222;margin-bottom:1rem}}</style></head>
<body><header><h1>Harbour Gazette</h1></header>
<article><h2>Harbour reopens after storm repairs</h2>
<p>The harbour reopened on Monday after three months of repairs to the sea wall.</p></article>
<h3>Readers' comments</h3>
<div id="comments" data-broadsheet-site="gazette" data-broadsheet-story="{PAGE_ID}"
     data-url="{newsroom}/harbour.html" data-title="Harbour reopens after storm repairs"{sso}></div>
<script src="{broadsheet}/embed.js" async></script>
</body></html>""",
        encoding="utf-8",
    )
    return f"{newsroom}/{name}"


def token_for(secret: str, user_id: str, email: str, name: str, plan: str) -> str:
    now = datetime.now(UTC)
    claims = {
        "sub": user_id,
        "email": email,
        "name": name,
        "plan": plan,
        "aud": "gazette",
        "iat": int(now.timestamp()),
        "exp": int((now + timedelta(minutes=5)).timestamp()),
        "jti": uuid.uuid4().hex,
    }
    return jwt.encode(claims, secret, algorithm="HS256")


def frame_of(page: Page) -> Any:
    return page.frame_locator("#comments iframe")


def broadsheet_frame(page: Page, broadsheet: str) -> Any:
    return next(frame for frame in page.frames if frame.url.startswith(broadsheet))


def test_readers_signed_in_by_the_newsroom_post_and_read(
    blocking_browser: Browser,
    live_server: Any,
    site: tuple[Site, str],
    newsroom: str,
    newsroom_dir: Path,
    screenshot_dir: Path,
) -> None:
    _, secret = site
    ada = token_for(secret, "u-1", "ada@gazette.example", "Ada Lovelace", "digital-plus")
    first = blocking_browser.new_context(viewport={"width": 900, "height": 1000})
    page = first.new_page()
    page.goto(newsroom_page(newsroom_dir, "ada.html", live_server.url, newsroom, ada))
    stream = frame_of(page)
    box = stream.get_by_role("textbox", name="Join the conversation")
    expect(box).to_be_visible()
    # The frame is cross-site and gets no cookies: the session is the token in its memory.
    frame = broadsheet_frame(page, live_server.url)
    assert frame.evaluate("document.hasStorageAccess()") is False
    assert frame.evaluate("document.cookie") == ""
    box.fill("The new sea wall **looks solid** from the promenade.")
    stream.get_by_role("button", name="Post comment").click()
    expect(stream.locator(".message--success")).to_have_text("Your comment is published.")
    mine = stream.locator("article.comment", has_text="looks solid")
    expect(mine.locator(".comment__author")).to_have_text("Ada Lovelace")
    # The frame is as tall as the stream in it.
    page.wait_for_function(
        "document.querySelector('#comments iframe').getBoundingClientRect().height > 400"
    )
    page.screenshot(path=screenshot_dir / "embed-posted.png", full_page=True)
    mine.get_by_role("link", name="Reply").click()
    stream.get_by_role("textbox", name="Reply to Ada Lovelace").fill("And the lights are new.")
    stream.get_by_role("button", name="Post reply").click()
    expect(stream.locator("article.comment--depth-2", has_text="lights are new")).to_be_visible()

    grace = token_for(secret, "u-2", "grace@gazette.example", "Grace Hopper", "digital")
    second = blocking_browser.new_context(viewport={"width": 390, "height": 900})
    other = second.new_page()
    other.goto(newsroom_page(newsroom_dir, "grace.html", live_server.url, newsroom, grace))
    theirs = frame_of(other)
    expect(theirs.locator("article.comment", has_text="looks solid")).to_be_visible()
    expect(theirs.locator(".gate")).to_contain_text(
        "Your current plan, Digital, does not include commenting."
    )
    theirs.locator("article.comment", has_text="looks solid").get_by_role(
        "button", name="Recommend"
    ).click()
    expect(theirs.get_by_role("button", name="Recommended")).to_be_visible()
    theirs.get_by_role("link", name="Oldest").click()
    expect(theirs.get_by_role("link", name="Oldest")).to_have_attribute("aria-current", "true")
    assert broadsheet_frame(other, live_server.url).url.startswith(f"{live_server.url}/embed/")
    # Reporting happens in the frame, where the reader is signed in.
    theirs.locator("article.comment", has_text="looks solid").get_by_role(
        "link", name="Report"
    ).click()
    theirs.get_by_label("spam or advertising").check()
    theirs.get_by_role("button", name="Send report").click()
    expect(theirs.locator(".report .message--success")).to_have_text(
        "Thank you. A moderator will look at this comment."
    )
    assert len(second.pages) == 1  # nothing opened in another tab
    other.screenshot(path=screenshot_dir / "embed-second-reader-390.png", full_page=True)
    # Plans are the newsroom's: the gate's link opens its own subscription page.
    (newsroom_dir / "subscribe.html").write_text("<!doctype html><title>Subscribe</title>")
    theirs.locator(".gate").get_by_role("link", name="See the plans").click()
    other.wait_for_url(f"{newsroom}/subscribe.html")

    # The newsroom's front page shows the count.
    (newsroom_dir / "index.html").write_text(
        f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Front</title></head>
<body><a href="/ada.html" data-broadsheet-site="gazette" data-broadsheet-count="{PAGE_ID}">
Comments</a><script src="{live_server.url}/embed/counts.js" async></script></body></html>""",
        encoding="utf-8",
    )
    other.goto(f"{newsroom}/index.html")
    expect(other.get_by_role("link", name="2 comments")).to_be_visible()

    # The newsroom signs its reader out: the frame forgets the session.
    page.evaluate("document.getElementById('comments').removeAttribute('data-sso')")
    expect(stream.locator('[data-gate="sign_in_required"]')).to_be_visible()
    first.close()
    second.close()


def test_a_reader_without_an_acceptable_name_creates_one_in_the_frame(
    blocking_browser: Browser,
    live_server: Any,
    site: tuple[Site, str],
    newsroom: str,
    newsroom_dir: Path,
    screenshot_dir: Path,
) -> None:
    _, secret = site
    token = token_for(secret, "u-3", "noname@gazette.example", "mail me@spam.com", "digital-plus")
    context = blocking_browser.new_context(viewport={"width": 900, "height": 900})
    page = context.new_page()
    page.goto(newsroom_page(newsroom_dir, "noname.html", live_server.url, newsroom, token))
    stream = frame_of(page)
    gate = stream.locator('[data-gate="display_name_required"]')
    expect(gate).to_contain_text("please create a display name in the Profile section")
    page.screenshot(path=screenshot_dir / "embed-display-name-asked.png", full_page=True)
    gate.get_by_role("link", name="Profile section").click()
    stream.get_by_label("Your display name").fill("Quayside Regular")
    stream.get_by_role("button", name="Save display name").click()
    expect(stream.get_by_role("textbox", name="Join the conversation")).to_be_visible()
    assert len(context.pages) == 1  # nothing opened in another tab
    context.close()


def test_an_origin_not_on_the_list_is_refused_the_frame(
    blocking_browser: Browser,
    live_server: Any,
    site: tuple[Site, str],
    newsroom: str,
    stranger: str,
    newsroom_dir: Path,
    screenshot_dir: Path,
) -> None:
    context = blocking_browser.new_context(viewport={"width": 900, "height": 700})
    page = context.new_page()
    address = newsroom_page(newsroom_dir, "copy.html", live_server.url, newsroom)
    with page.expect_event("console") as refusal:
        page.goto(address.replace(newsroom, stranger))
    assert "frame-ancestors" in refusal.value.text
    expect(page.locator("#comments iframe")).to_have_count(1)
    assert not any(frame.url.startswith(live_server.url) for frame in page.frames[1:])
    page.screenshot(path=screenshot_dir / "embed-refused.png", full_page=True)
    # The same page from the registered origin shows the stream; signing in happens on the
    # newsroom's own sign-in page.
    Site.objects.filter(key="gazette").update(sign_in_url=f"{newsroom}/sign-in.html")
    (newsroom_dir / "sign-in.html").write_text("<!doctype html><title>Sign in</title>")
    page.goto(address)
    gate = frame_of(page).locator('[data-gate="sign_in_required"]')
    gate.get_by_role("link", name="Sign in").click()
    page.wait_for_url(f"{newsroom}/sign-in.html")
    context.close()


# A site registered on a real server (pages and live streams in processes of their own), as
# an editor does in the admin; prints the signing secret.
REGISTER_SITE = """
from broadsheet.embed import services
from broadsheet.embed.models import Site
site, _ = Site.objects.update_or_create(
    key="gazette",
    defaults={{"name": "Harbour Gazette", "allowed_origins": "{origin}", "create_stories": True}},
)
print(services.issue_secret(site))
"""


@pytest.fixture(scope="module")
def real_site(site_servers: ServerPool) -> SiteServer:
    """The site as `make serve` runs it: the live streams come from a server of their own."""
    return site_servers.get(workers=2, env={"LIVE_WORKERS": "2", "COMMENT_RATE_LIMIT_SECONDS": "0"})


def test_a_comment_posted_in_one_frame_appears_live_in_another_readers_frame(
    blocking_browser: Browser,
    real_site: SiteServer,
    newsroom: str,
    newsroom_dir: Path,
    screenshot_dir: Path,
) -> None:
    # Broadsheet at 127.0.0.1, the newsroom at localhost: the frame is cross-site.
    origin = newsroom.replace("127.0.0.1", "localhost")
    secret = real_site.manage("shell", "-c", REGISTER_SITE.format(origin=origin)).split()[-1]
    watcher = blocking_browser.new_context(viewport={"width": 390, "height": 900})
    watching = watcher.new_page()
    watching.goto(newsroom_page(newsroom_dir, "watch.html", real_site.url, origin))
    watched = frame_of(watching)
    expect(watched.locator('[data-gate="sign_in_required"]')).to_be_visible(timeout=20000)
    shown = broadsheet_frame(watching, real_site.url).evaluate("performance.timeOrigin")

    ada = token_for(secret, "u-live", "ada@gazette.example", "Ada Lovelace", "digital-plus")
    author = blocking_browser.new_context(viewport={"width": 900, "height": 1000})
    writing = author.new_page()
    writing.goto(newsroom_page(newsroom_dir, "ada-live.html", real_site.url, origin, ada))
    stream = frame_of(writing)
    text = f"Watching the ferries come back, {time.time_ns()}."
    stream.get_by_role("textbox", name="Join the conversation").fill(text)
    stream.get_by_role("button", name="Post comment").click()
    expect(stream.locator(".message--success")).to_have_text(
        "Your comment is published.", timeout=20000
    )
    # No reload in the watcher's frame: the comment arrives through the live stream.
    expect(watched.locator("article.comment", has_text=text)).to_be_visible(timeout=3000)
    expect(
        watched.locator("article.comment", has_text=text).locator(".comment__author")
    ).to_have_text("Ada Lovelace")
    # The same document: nothing reloaded the frame to show it.
    assert broadsheet_frame(watching, real_site.url).evaluate("performance.timeOrigin") == shown
    watching.screenshot(path=screenshot_dir / "embed-live-390.png", full_page=True)
    watcher.close()
    author.close()
