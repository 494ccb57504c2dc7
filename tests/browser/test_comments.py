"""The comment stream in a real Chromium: each demo account's view, and every action.

Screenshots land in var/screenshots/comments-*.png, at phone and desktop widths.
"""

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import Browser, Page, expect

from broadsheet.comments.models import Comment
from broadsheet.stories.models import Story

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

STORY = "city-council-approves-night-bus-network"
WIDTHS = [390, 1280]

# Who, and what they should see where the comment form would be.
ACCOUNTS = [
    ("visitor", "Sign in or create an account to join the conversation."),
    ("free", "Your current plan, Registered, does not include commenting."),
    ("digital", "Your current plan, Digital, does not include commenting."),
    ("noname", "please create a display name in the Profile section"),
    ("member", None),
    ("moderator", None),
    ("editor", None),
]


@pytest.fixture(autouse=True)
def _no_rate_limits(settings: Any) -> None:
    settings.COMMENT_RATE_LIMIT_SECONDS = 0


def sign_in(page: Page, live_server: Any, demo: dict[str, Any], who: str) -> None:
    if who == "visitor":
        return
    client = Client()
    client.force_login(demo["users"][f"{who}@example.com"])
    page.context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def open_story(page: Page, live_server: Any, query: str = "") -> Story:
    story = Story.objects.get(slug=STORY)
    page.goto(f"{live_server.url}{story.get_absolute_url()}{query}#comments")
    return story


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(("who", "gate"), ACCOUNTS, ids=[a[0] for a in ACCOUNTS])
def test_each_demo_account_sees_its_gate(
    page: Page,
    live_server: Any,
    demo: dict[str, Any],
    screenshot_dir: Path,
    who: str,
    gate: str | None,
    width: int,
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server, demo, who)
    open_story(page, live_server)
    stream = page.locator("#comment-stream")
    if gate:
        expect(stream.locator(".gate")).to_contain_text(gate)
        expect(stream.get_by_role("textbox")).to_have_count(0)
    else:
        expect(stream.get_by_role("textbox", name="Join the conversation")).to_be_visible()
        expect(stream.locator(".gate")).to_have_count(0)
    expect(stream).to_contain_text("the last bus leaves at 23:40")
    page.locator("#comments").screenshot(path=screenshot_dir / f"comments-gate-{who}-{width}.png")


def test_the_gate_links_lead_to_their_fix(
    page: Page, live_server: Any, demo: dict[str, Any]
) -> None:
    sign_in(page, live_server, demo, "noname")
    story = open_story(page, live_server)
    link = page.get_by_role("link", name="Profile section")
    expect(link).to_have_attribute(
        "href", f"/accounts/profile/?next=%2Fstory%2F{story.slug}%2F%23comments#display-name"
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_post_reply_recommend_edit_and_delete_with_htmx(
    page: Page, live_server: Any, demo: dict[str, Any], screenshot_dir: Path, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server, demo, "member")
    open_story(page, live_server, "?sort=newest")
    url_before = page.url

    # Post
    page.get_by_role("textbox", name="Join the conversation").fill(
        "The **night buses** are a fine idea. See [the map](https://example.com/map)."
    )
    page.get_by_role("button", name="Post comment").click()
    mine = page.locator("article.comment", has_text="are a fine idea").first
    expect(mine).to_be_visible()
    expect(mine.locator("strong")).to_have_text("night buses")
    expect(page.locator("#comment-stream .message--success")).to_have_text(
        "Your comment is published."
    )
    assert page.url == url_before  # htmx: no page load
    comment = Comment.objects.get(body__startswith="The **night buses**")
    page.screenshot(path=screenshot_dir / f"comments-posted-{width}.png", full_page=True)

    # Reply to it
    mine.get_by_role("link", name="Reply").click()
    reply_box = page.get_by_role("textbox", name="Reply to Harbour Watcher")
    expect(reply_box).to_be_visible()
    reply_box.fill("Replying to myself, to add the timetable.")
    page.screenshot(path=screenshot_dir / f"comments-replying-{width}.png", full_page=True)
    page.get_by_role("button", name="Post reply").click()
    reply = page.locator("article.comment--depth-2", has_text="add the timetable")
    expect(reply).to_be_visible()
    assert Comment.objects.get(body__startswith="Replying").parent_id == comment.pk

    # Edit the reply
    reply.get_by_role("link", name="Edit").click()
    edit_box = page.get_by_role("textbox", name="Edit your comment")
    edit_box.fill("Replying to myself, to add the *weekend* timetable.")
    page.get_by_role("button", name="Save changes").click()
    edited = page.locator("article.comment--depth-2", has_text="timetable")
    expect(edited.locator("em")).to_have_text("weekend")
    expect(edited.locator(".comment__edited")).to_have_text("edited")
    page.screenshot(path=screenshot_dir / f"comments-edited-{width}.png", full_page=True)

    # Delete the top comment: its reply keeps its place under a placeholder.
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(f"#comment-{comment.pk}").get_by_role("link", name="Delete").click()
    expect(page.locator(f"#comment-{comment.pk}")).to_contain_text("This comment was deleted.")
    expect(page.locator("article.comment--depth-2", has_text="timetable")).to_be_visible()
    page.screenshot(path=screenshot_dir / f"comments-deleted-{width}.png", full_page=True)
    assert page.url == url_before


def test_recommend_with_htmx(
    page: Page, live_server: Any, demo: dict[str, Any], screenshot_dir: Path
) -> None:
    sign_in(page, live_server, demo, "editor")
    open_story(page, live_server, "?sort=newest")
    target = page.locator("article.comment", has_text="the last bus leaves at 23:40")
    target.get_by_role("button", name="Recommend").click()
    expect(target.get_by_role("button", name="Recommended")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(target.locator(".recommend__count")).to_have_text("1")
    page.locator("#comments").screenshot(path=screenshot_dir / "comments-recommended.png")
    target.get_by_role("button", name="Recommended").click()
    expect(target.locator(".recommend__count")).to_have_text("0")


def test_everything_works_without_javascript(
    browser: Browser,
    live_server: Any,
    demo: dict[str, Any],
    screenshot_dir: Path,
    settings: Any,
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server, demo, "member")
    open_story(page, live_server, "?sort=newest")

    # A refused comment comes back in its form with the reason.
    page.get_by_role("textbox", name="Join the conversation").fill("x" * 10)
    settings.COMMENT_MAX_LENGTH = 5
    page.get_by_role("button", name="Post comment").click()
    expect(page.get_by_role("alert")).to_contain_text("at most 5 characters")
    expect(page.get_by_role("textbox", name="Join the conversation")).to_have_value("x" * 10)
    page.screenshot(path=screenshot_dir / "comments-nojs-refused.png", full_page=True)
    del settings.COMMENT_MAX_LENGTH
    open_story(page, live_server, "?sort=newest")

    page.get_by_role("textbox", name="Join the conversation").fill("Posted without JavaScript.")
    page.get_by_role("button", name="Post comment").click()
    expect(page.locator(".message--success")).to_have_text("Your comment is published.")
    posted = page.locator("article.comment", has_text="Posted without JavaScript.").first
    expect(posted).to_be_visible()

    posted.get_by_role("link", name="Reply").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Reply")
    page.get_by_role("textbox", name="Reply to Harbour Watcher").fill("And a reply, too.")
    page.screenshot(path=screenshot_dir / "comments-nojs-reply.png", full_page=True)
    page.get_by_role("button", name="Post reply").click()
    expect(page.locator("article.comment--depth-2", has_text="And a reply, too.")).to_be_visible()
    page.screenshot(path=screenshot_dir / "comments-nojs-thread.png", full_page=True)

    # Deleting asks first, on its own page.
    page.locator("article.comment", has_text="Posted without JavaScript.").first.get_by_role(
        "link", name="Delete"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete your comment?")
    page.screenshot(path=screenshot_dir / "comments-nojs-delete.png", full_page=True)
    page.get_by_role("button", name="Delete comment").click()
    expect(page.locator(".message--success")).to_have_text("Your comment is deleted.")
    expect(page.locator("#comment-stream")).to_contain_text("This comment was deleted.")
    expect(page.locator("#comment-stream")).to_contain_text("And a reply, too.")
    context.close()


def test_load_more_show_more_replies_and_my_comments(
    page: Page, live_server: Any, demo: dict[str, Any], screenshot_dir: Path
) -> None:
    from broadsheet.comments import services

    users = demo["users"]
    story = Story.objects.get(slug=STORY)
    top = services.post_comment(users["member@example.com"], story, "A thread that grows")
    for n in range(6):
        services.reply_to(users["editor@example.com"], top.pk, f"Answer number {n}")
    for n in range(21):
        services.post_comment(users["moderator@example.com"], story, f"Filler comment {n}")

    sign_in(page, live_server, demo, "member")
    open_story(page, live_server, "?sort=oldest")
    url = page.url
    expect(page.locator(".stream__item")).to_have_count(20)
    page.get_by_role("link", name="Load more comments").click()
    expect(page.locator(".stream__item")).to_have_count(23)
    thread = page.locator(f"#thread-{top.pk}")
    expect(thread.locator("article.comment--depth-2")).to_have_count(3)
    thread.get_by_role("link", name="show 3 more replies").click()
    expect(page.locator(f"#thread-{top.pk} article.comment--depth-2")).to_have_count(6)
    assert page.url == url
    page.screenshot(path=screenshot_dir / "comments-more-replies.png", full_page=True)

    page.goto(live_server.url + "/accounts/comments/")
    expect(page.get_by_role("heading", name="My comments")).to_be_visible()
    expect(page.locator(".my-comment").first).to_contain_text("A thread that grows")
    page.screenshot(path=screenshot_dir / "comments-my-comments.png", full_page=True)


def test_sort_tabs_swap_the_stream_and_keep_the_address(
    page: Page, live_server: Any, demo: dict[str, Any]
) -> None:
    open_story(page, live_server)
    tabs = page.get_by_role("navigation", name="Sort comments")
    expect(tabs.locator("[aria-current=true]")).to_have_text("Newest")
    tabs.get_by_role("link", name="Oldest").click()
    expect(tabs.locator("[aria-current=true]")).to_have_text("Oldest")
    expect(page).to_have_url(f"{live_server.url}/story/{STORY}/?sort=oldest#comments")
    page.reload()
    expect(tabs.locator("[aria-current=true]")).to_have_text("Oldest")
