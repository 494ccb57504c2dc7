"""Hostile text, written everywhere a reader or editor can write, then read in Chromium.

Every payload in tests/fixtures/hostile_text.json is posted as a comment (and some as
replies), tried as a display name (those the rules accept become readers who comment),
sent as a report's explanation, written into a story (headline, summary, body, byline,
dateline, topic) through the story service, and searched for. Then each page that shows
them is opened as the person who would read it: a visitor, a reader, a moderator on the
desk and an editor in the admin. On every page: no dialog opens, no element carries an
on* attribute, no href/src/action holds a javascript:, vbscript: or data: URL, no frame,
object, embed or base element appears, the Content-Security-Policy header is the site's
own, and the browser reports no CSP violation. Payloads are batched many to a page.
"""

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Dialog, Page

from broadsheet.accounts import services as account_services
from broadsheet.accounts.display_names import DisplayNameError, check_display_name
from broadsheet.accounts.models import User
from broadsheet.comments import services as comment_services
from broadsheet.comments.models import Comment
from broadsheet.core.exceptions import ServiceError
from broadsheet.moderation import services as moderation_services
from broadsheet.stories import services as story_services
from broadsheet.stories.models import Section, Story, Topic

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "hostile_text.json"
PAYLOADS: list[str] = json.loads(CORPUS.read_text())
SEARCH_BATCH = 25

# Read after each page load: what the DOM would let a payload do.
INSPECT = (Path(__file__).parent / "inspect_page.js").read_text()
WATCH_CSP = """window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__violations.push(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));"""


@pytest.fixture(autouse=True)
def _room_for_every_payload(settings: Any) -> None:
    settings.COMMENT_RATE_LIMIT_SECONDS = 0
    settings.COMMENT_BURST_PER_HOUR = 0
    settings.COMMENT_PAGE_SIZE = len(PAYLOADS) + 10
    settings.MODERATION_DESK_PAGE_SIZE = len(PAYLOADS) + 10
    settings.MODERATION_REPORT_THRESHOLD = 1000


def _fits(text: str, length: int) -> str:
    return text[:length]


def _hostile_story(editor: User) -> Story:
    """Every payload in one story's text; the service refuses NUL, so those are left out."""
    storable = [text for text in PAYLOADS if "\x00" not in text]
    topic = Topic.objects.create(name=_fits(PAYLOADS[0], 80), slug="hostile-topic")
    story = Story(
        headline=_fits("Hostile " + PAYLOADS[1], 200),
        dek=_fits(PAYLOADS[2], 400),
        body="\n\n".join(storable),
        byline=_fits(PAYLOADS[6], 200),
        dateline=_fits(PAYLOADS[7], 80),
        section=Section.objects.order_by("pk").first(),
    )
    story = story_services.save_story(story, by=editor)
    story.topics.add(topic)
    story.authors.add(editor)
    return story_services.publish(story, by=editor)


def _post_everything(story: Story, users: dict[str, User]) -> dict[str, Any]:
    """Each payload as a comment, a reply, a report and a display name, where the rules allow."""
    posted: list[Comment] = []
    for text in PAYLOADS:
        try:
            posted.append(comment_services.post_comment(users["member"], story, text))
        except ServiceError:
            continue  # refused (NUL, length): nothing stored, nothing to show
    published = [c for c in posted if c.status == Comment.Status.PUBLISHED]
    for parent, text in zip(published[:10], reversed(PAYLOADS), strict=False):
        try:
            comment_services.reply_to(users["moderator"], parent.pk, text + " (reply)")
        except ServiceError:
            continue
    reported = 0
    for comment, text in zip(published, PAYLOADS, strict=False):
        try:
            moderation_services.report(users["free"], comment.pk, "other", text[:1000])
            reported += 1
        except ServiceError:
            continue
    names = []
    for number, text in enumerate(PAYLOADS):
        try:
            check_display_name(text)
        except DisplayNameError:
            continue
        reader = User.objects.create_user(f"hostile{number}@example.com", "a long pass phrase 1")
        try:
            account_services.set_display_name(reader, text)
        except ServiceError:
            continue
        names.append(reader)
    return {"comments": posted, "reported": reported, "names": names}


def _context(browser: Browser, live_server: Any, user: User | None) -> BrowserContext:
    context = browser.new_context()
    context.add_init_script(WATCH_CSP)
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[django_settings.SESSION_COOKIE_NAME].value
        name = django_settings.SESSION_COOKIE_NAME
        context.add_cookies([{"name": name, "value": cookie, "url": live_server.url}])
    return context


def _policy(header: str | None) -> str:
    return re.sub(r"'nonce-[^']+'", "'nonce'", header or "(none)")


@pytest.fixture
def hostile(demo: dict[str, Any]) -> dict[str, Any]:
    users = {email.split("@")[0]: user for email, user in demo["users"].items()}
    story = _hostile_story(users["editor"])
    return {"users": users, "story": story, **_post_everything(story, users)}


def test_hostile_text_is_inert_on_every_page_for_every_role(
    browser: Browser, live_server: Any, hostile: dict[str, Any]
) -> None:
    users, story = hostile["users"], hostile["story"]
    comments: list[Comment] = hostile["comments"]
    assert len(PAYLOADS) >= 100
    assert len(comments) >= 100, "the comment rules refused most of the corpus"
    assert hostile["reported"] >= 50
    held = next((c for c in comments if c.status == Comment.Status.PENDING), comments[0])
    searches = [
        "/search/?q=" + quote(" ".join(PAYLOADS[start : start + SEARCH_BATCH]))
        for start in range(0, len(PAYLOADS), SEARCH_BATCH)
    ]
    pages: dict[str, list[str]] = {
        "visitor": [
            "/",
            story.get_absolute_url(),
            f"/section/{story.section.slug}/",
            "/topic/hostile-topic/",
            f"/author/{users['editor'].pk}/",
            *searches,
        ],
        "member": [
            story.get_absolute_url(),
            *[f"/accounts/comments/?page={n}" for n in range(1, len(comments) // 25 + 2)],
            f"/report/comment/{comments[-1].pk}/",
        ],
        "moderator": [
            "/desk/",
            "/desk/queue/reported/",
            "/desk/queue/recent/",
            f"/desk/comment/{held.pk}/",
            f"/desk/comment/{comments[0].pk}/",
            f"/desk/reader/{users['member'].pk}/",
            "/desk/audit/",
            story.get_absolute_url(),
        ],
        "editor": [
            f"/admin/stories/story/{story.pk}/change/",
            f"/admin/stories/story/{story.pk}/preview/",
            "/admin/stories/story/",
            "/admin/comments/comment/",
            f"/admin/comments/comment/{comments[0].pk}/change/",
            "/admin/stories/topic/",
        ],
    }
    pages["moderator"] += [f"/desk/reader/{reader.pk}/" for reader in hostile["names"][:5]]
    found: list[str] = []
    expected_policy = ""
    dialogs: list[str] = []
    console: list[str] = []

    def on_dialog(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            console.append(message.text)

    for role, paths in pages.items():
        context = _context(browser, live_server, None if role == "visitor" else users[role])
        page: Page = context.new_page()
        page.on("dialog", on_dialog)
        page.on("console", on_console)
        for path in paths:
            dialogs.clear()
            console.clear()
            response = page.goto(live_server.url + path)
            assert response is not None
            page.wait_for_load_state("load")
            where = f"{role} {path[:80]}"
            # A NUL character is refused with a clear 400 page before anything reads it.
            if response.status != (400 if "%00" in path else 200):
                found.append(f"{where}: status {response.status}")
            policy = _policy(response.headers.get("content-security-policy"))
            expected_policy = expected_policy or policy
            if policy != expected_policy or "'unsafe-inline'" in policy:
                found.append(f"{where}: Content-Security-Policy is {policy!r}")
            found += [f"{where}: {problem}" for problem in page.evaluate(INSPECT)]
            found += [f"{where}: dialog {message!r}" for message in dialogs]
            found += [
                f"{where}: console {text[:120]}"
                for text in console
                if "Content Security Policy" in text or "Refused to" in text
            ]
        context.close()
    assert "script-src 'self' 'nonce'" in expected_policy
    assert not found, "\n".join(found)
