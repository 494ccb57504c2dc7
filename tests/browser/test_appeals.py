"""A reader appeals a removed comment; the desk's Appeals queue; another moderator restores it."""

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import Browser, Page, expect

from broadsheet.appeals.models import Statement
from broadsheet.comments import services as comment_services
from broadsheet.comments.models import Comment
from broadsheet.moderation import services as moderation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEXT = "The harbour plan is a scandal and its backers should be ashamed."


def signed_in_page(browser: Browser, base: str, email: str, width: int) -> Page:
    page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
    page.goto(base + "/accounts/sign-in/")
    page.fill("#id_username", email)
    page.fill("#id_password", settings.DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    return page


def test_an_appeal_from_my_comments_to_the_desk_and_back(
    browser: Browser, live_server: Any, demo: dict[str, Any], settings: Any, screenshot_dir: Path
) -> None:
    settings.COMMENT_RATE_LIMIT_SECONDS = 0
    base = live_server.url
    story = demo["stories"]["city-council-approves-night-bus-network"]
    member = demo["users"]["member@example.com"]
    moderator = demo["users"]["moderator@example.com"]
    comment = comment_services.post_comment(member, story, TEXT)
    moderation.decide(
        moderator, comment.pk, "reject", seen=moderation.Seen(comment.revision, comment.status),
        reason="Personal attack",
    )  # fmt: skip
    statement = Statement.objects.get(comment=comment)

    # The reader, on a phone, finds the reason on My comments and appeals.
    reader = signed_in_page(browser, base, "member@example.com", 390)
    reader.goto(base + "/accounts/comments/")
    entry = reader.locator(f"#comment-{comment.pk}")
    expect(entry).to_contain_text("A personal attack")
    expect(entry.get_by_role("link", name="Be respectful")).to_be_visible()
    reader.screenshot(path=screenshot_dir / "appeal-my-comments-390.png", full_page=True)
    entry.get_by_role("link", name="Disagree? Appeal this decision").click()
    expect(reader.get_by_role("heading", name="Appeal this decision")).to_be_visible()
    reader.get_by_label("Why do you think this decision was wrong?").fill(
        "I criticised a plan, not a person."
    )
    reader.screenshot(path=screenshot_dir / "appeal-form-390.png", full_page=True)
    reader.get_by_role("button", name="Send my appeal").click()
    expect(reader.locator("body")).to_contain_text("Your appeal is sent")
    expect(reader.locator(".statement__appeal")).to_contain_text("Waiting for a moderator")

    # The moderator who decided sees it in the queue but may not judge it.
    desk = signed_in_page(browser, base, "moderator@example.com", 1280)
    desk.goto(base + "/desk/")
    desk.get_by_role("link", name="Appeals and notices").click()
    expect(desk.locator(".appeal-list")).to_contain_text("you: another moderator must judge it")
    desk.screenshot(path=screenshot_dir / "desk-appeals-1280.png", full_page=True)
    desk.locator(".appeal-list a").first.click()
    expect(desk.locator("body")).to_contain_text("another moderator must judge the appeal")
    expect(desk.get_by_role("button", name="Record the outcome")).to_have_count(0)

    # Another member of the desk (an editor) reverses it, on a narrow screen.
    other = signed_in_page(browser, base, "editor@example.com", 390)
    other.goto(base + "/desk/appeals/")
    other.screenshot(path=screenshot_dir / "desk-appeals-390.png", full_page=True)
    other.locator(".appeal-list a").first.click()
    other.get_by_label("Reverse it (restore the comment or lift the sanction)").check()
    other.get_by_label("Your reasons (the reader sees them)").fill(
        "Strong criticism of a plan is fair comment."
    )
    other.screenshot(path=screenshot_dir / "desk-appeal-390.png", full_page=True)
    other.get_by_role("button", name="Record the outcome").click()
    expect(other.locator("body")).to_contain_text("decision reversed. The reader is told.")
    desk.goto(base + f"/desk/appeals/{statement.appeal.pk}/")
    desk.screenshot(path=screenshot_dir / "desk-appeal-1280.png", full_page=True)

    # The comment is back in the conversation, and the reader is told.
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.PUBLISHED
    reader.goto(base + statement.get_absolute_url())
    expect(reader.locator(".statement__appeal")).to_contain_text("Decision reversed")
    expect(reader.locator(".statement__appeal")).to_contain_text("fair comment")
    reader.screenshot(path=screenshot_dir / "appeal-reversed-390.png", full_page=True)
    reader.set_viewport_size({"width": 1280, "height": 900})
    reader.screenshot(path=screenshot_dir / "appeal-reversed-1280.png", full_page=True)
    visitor = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    visitor.goto(base + story.get_absolute_url() + "?sort=newest")
    expect(visitor.locator(f"#comment-{comment.pk}")).to_contain_text("harbour plan is a scandal")


def test_the_notice_form_and_the_transparency_page(
    browser: Browser, live_server: Any, demo: dict[str, Any], screenshot_dir: Path
) -> None:
    base = live_server.url
    for width in (390, 1280):
        page = browser.new_context(viewport={"width": width, "height": 900}).new_page()
        page.goto(base + "/notices/new/")
        page.get_by_role("button", name="Send the notice").click()
        expect(page.locator(".errorlist").first).to_be_visible()
        page.screenshot(path=screenshot_dir / f"notice-form-errors-{width}.png", full_page=True)
        page.goto(base + "/transparency/")
        page.screenshot(path=screenshot_dir / f"transparency-{width}.png", full_page=True)
        page.goto(base + "/guidelines/#no-spam")
        expect(page.locator("#no-spam")).to_contain_text("No spam or advertising")
        page.screenshot(path=screenshot_dir / f"guidelines-{width}.png", full_page=True)
