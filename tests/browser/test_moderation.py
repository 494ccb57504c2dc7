"""A flagged comment waits for review; a moderator approves it from the desk with the keyboard."""

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from broadsheet.comments.markdown import render_comment
from broadsheet.comments.models import Comment
from broadsheet.moderation.demo import load_moderation
from broadsheet.moderation.pipeline import Outcome, screen

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FLAGGED = "Anyone who still defends this levy is a complete m0r0n, honestly."


def sign_in(page: Page, base: str, email: str) -> None:
    page.goto(base + "/accounts/sign-in/")
    page.fill("#id_username", email)
    page.fill("#id_password", settings.DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def move_to(page: Page, comment: Comment) -> None:
    """Press j until the desk's current item is `comment`."""
    expect(page.locator("[data-desk-item]").first).to_be_focused()
    for _ in range(10):
        focused = page.evaluate("document.activeElement && document.activeElement.id")
        if focused == f"item-{comment.pk}":
            break
        page.keyboard.press("j")
    expect(page.locator(f"#item-{comment.pk}")).to_be_focused()


def post_flagged_comment(demo: dict[str, Any]) -> Comment:
    """What the comment form does: screen the text, then store it with the outcome."""
    story = demo["stories"]["city-council-approves-night-bus-network"]
    author = demo["users"]["member@example.com"]
    screening = screen(author=author, story=story, text=FLAGGED)
    assert screening.outcome == Outcome.HOLD
    return Comment.objects.create(
        story=story,
        author=author,
        body=FLAGGED,
        body_html=render_comment(FLAGGED),
        status=Comment.Status.PENDING,
        toxicity=screening.toxicity,
        hold_reasons=screening.reasons,
    )


def post_through_the_page(page: Page, base: str, demo: dict[str, Any]) -> Comment:
    """The reader posts from the story page when it has the comment form, else as it would."""
    story = demo["stories"]["city-council-approves-night-bus-network"]
    page.goto(base + story.get_absolute_url())
    form = page.locator("#comments textarea[name=text]")
    if form.count() == 0:
        return post_flagged_comment(demo)
    form.first.fill(FLAGGED)
    page.locator("#comments").get_by_role("button", name="Post comment").first.click()
    expect(page.locator("body")).to_contain_text("awaiting review")
    return Comment.objects.get(body=FLAGGED)


def test_a_moderator_approves_a_flagged_comment_with_the_keyboard(
    page: Page, live_server: Any, demo: dict[str, Any], screenshot_dir: Path
) -> None:
    load_moderation()
    base = live_server.url

    # The author posts; the model flags the comment and it waits for review.
    sign_in(page, base, "member@example.com")
    comment = post_through_the_page(page, base, demo)
    story = comment.story
    assert comment.status == Comment.Status.PENDING
    assert comment.get_status_display() == "awaiting review"
    assert any(reason.startswith(("toxicity", "suspect words")) for reason in comment.hold_reasons)
    page.goto(base + story.get_absolute_url())
    if page.locator("#comments").get_by_text("complete m0r0n").count():
        # the author alone sees it, marked as waiting
        expect(page.locator(f"#comment-{comment.pk}")).to_contain_text("awaiting review")
    mine = page.goto(base + "/accounts/comments/")
    if mine is not None and mine.status == 200:
        expect(page.locator("main")).to_contain_text("awaiting review")
    page.context.clear_cookies()
    page.goto(base + story.get_absolute_url())
    expect(page.locator("#comments")).not_to_contain_text("complete m0r0n")

    # The moderator works the pending queue with the keyboard.
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, base, "moderator@example.com")
    page.goto(base + "/desk/")
    expect(page.get_by_role("heading", name="Pending")).to_be_visible()
    item = page.locator(f"#item-{comment.pk}")
    expect(item).to_contain_text("complete m0r0n")
    expect(item.locator(".desk-check").first).to_contain_text("Toxicity:")
    page.screenshot(path=screenshot_dir / "desk-queue-1280.png", full_page=True)
    move_to(page, comment)
    page.keyboard.press("a")
    expect(page.locator(f"#item-{comment.pk}")).to_contain_text("Approved.")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PUBLISHED

    # The comment is in the story's stream (newest first, whichever tab the story opens on).
    page.goto(base + story.get_absolute_url() + "?sort=newest")
    expect(page.locator("#comments")).to_contain_text("complete m0r0n")

    # The rest of the desk, for the record.
    page.goto(base + f"/desk/comment/{comment.pk}/")
    expect(page.locator("main")).to_contain_text(f"Desk Moderator approved comment #{comment.pk}.")
    page.screenshot(path=screenshot_dir / "desk-item-1280.png", full_page=True)
    page.goto(base + "/desk/audit/")
    expect(page.locator("main")).to_contain_text("Desk Moderator")
    page.screenshot(path=screenshot_dir / "desk-audit-1280.png", full_page=True)


def test_a_moderator_rejects_with_the_keyboard_and_the_phone_layout_works(
    page: Page, live_server: Any, demo: dict[str, Any], screenshot_dir: Path
) -> None:
    load_moderation()
    comment = post_flagged_comment(demo)
    base = live_server.url
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, base, "moderator@example.com")
    page.goto(base + f"/desk/?story={comment.story_id}")
    page.screenshot(path=screenshot_dir / "desk-queue-390.png", full_page=True)
    item = page.locator(f"#item-{comment.pk}")
    move_to(page, comment)
    page.keyboard.press("r")
    expect(item.get_by_placeholder("Reason, shown to the author")).to_be_focused()
    page.keyboard.type("Personal attack")
    page.keyboard.press("Enter")
    expect(page.locator(f"#item-{comment.pk}")).to_contain_text("Rejected.")
    comment.refresh_from_db()
    assert (comment.status, comment.status_reason) == ("rejected", "Personal attack")
    page.goto(base + f"/desk/comment/{comment.pk}/")
    page.screenshot(path=screenshot_dir / "desk-item-390.png", full_page=True)
    page.goto(base + "/desk/audit/")
    page.screenshot(path=screenshot_dir / "desk-audit-390.png", full_page=True)
    page.goto(base + "/desk/terms/")
    expect(page.locator("main")).to_contain_text("Banned")
    page.screenshot(path=screenshot_dir / "desk-terms-390.png", full_page=True)
