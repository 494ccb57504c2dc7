"""The desk's journeys in a real browser: the keyboard acts on the item marked as current,
every decision can be undone, each check gives a verdict, and the triage, dashboard, audit,
word lists, notes and quiet-hours pages work at phone and desktop widths."""

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from broadsheet.comments import quiet
from broadsheet.comments.models import Comment, QuietHours
from broadsheet.moderation.demo import load_moderation
from tests.browser.accessibility import serious_violations
from tests.browser.test_moderation import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


def held(demo: dict[str, Any], text: str, **fields: Any) -> Comment:
    story = demo["stories"]["city-council-approves-night-bus-network"]
    return Comment.objects.create(
        story=story,
        author=demo["users"]["member@example.com"],
        body=text,
        body_html=f"<p>{text}</p>",
        status=Comment.Status.PENDING,
        **fields,
    )


def pending_count(page: Page) -> str:
    return page.locator("#queue-count-pending").inner_text().strip()


def test_the_keys_act_on_the_item_marked_current_and_every_decision_can_be_undone(
    page: Page, live_server: Any, demo: dict[str, Any], screenshot_dir: Path
) -> None:
    load_moderation()
    held(demo, "First of ours in the queue.", toxicity=0.2, hold_reasons=["new reader"])
    second = held(
        demo, "Cheap pills at https://bit.ly/x", toxicity=0.02,
        hold_reasons=["spam: link, short link"],
    )  # fmt: skip
    third = held(demo, "Third, a suspect one.", toxicity=0.81, hold_reasons=["toxicity 0.81"])
    base = live_server.url
    page.set_viewport_size(DESKTOP)
    sign_in(page, base, "moderator@example.com")
    page.goto(base + "/desk/")
    waiting = pending_count(page)

    # Before any key: the first item is marked, in words as well as by its frame.
    items = page.locator("[data-desk-item]")
    expect(items.nth(0)).to_have_class("desk-item desk-item--current")
    expect(items.nth(0).get_by_text("Current comment")).to_be_visible()
    expect(items.nth(1).get_by_text("Current comment")).to_be_hidden()
    page.screenshot(path=screenshot_dir / "desk-current-1280.png", full_page=True)
    assert serious_violations(page) == []
    top = Comment.objects.get(pk=int(items.nth(0).get_attribute("id").split("-")[1]))
    next_one = Comment.objects.get(pk=int(items.nth(1).get_attribute("id").split("-")[1]))

    # The verdicts: spam is called spam, the low toxicity score is "not toxic".
    spam_item = page.locator(f"#item-{second.pk}")
    expect(spam_item.locator(".desk-check--bad")).to_have_count(1)
    expect(spam_item.locator(".desk-check--bad")).to_contain_text("Looks like spam")
    expect(spam_item.locator(".desk-check--ok").first).to_contain_text("Not toxic (0.02)")

    # One j moves from the marked first item to the second; a approves that one.
    page.keyboard.press("j")
    expect(page.locator(f"#item-{next_one.pk}")).to_have_class("desk-item desk-item--current")
    page.keyboard.press("a")
    expect(page.locator(f"#item-{next_one.pk}")).to_contain_text("Approved.")
    top.refresh_from_db()
    next_one.refresh_from_db()
    assert (top.status, next_one.status) == ("pending", "published")
    expect(page.locator("#queue-count-pending")).to_have_text(str(int(waiting) - 1))
    undo = page.locator(f"#item-{next_one.pk}").get_by_role("button", name="Undo")
    expect(undo).to_be_visible()
    page.screenshot(path=screenshot_dir / "desk-undo-1280.png", full_page=True)

    # u takes it back: the comment waits again and the count follows.
    page.keyboard.press("u")
    expect(page.locator(f"#item-{next_one.pk}")).to_contain_text("Undone: the comment is awaiting")
    next_one.refresh_from_db()
    assert next_one.status == "pending"
    expect(page.locator("#queue-count-pending")).to_have_text(waiting)

    # A click inside the third item marks it; a then approves it, not the one before.
    page.locator(f"#item-{third.pk} .desk-item__body").click()
    expect(page.locator(f"#item-{third.pk}")).to_have_class("desk-item desk-item--current")
    page.keyboard.press("a")
    expect(page.locator(f"#item-{third.pk}")).to_contain_text("Approved.")
    third.refresh_from_db()
    assert third.status == "published"
    # The offer goes away after its few seconds.
    expect(page.locator(f"#item-{third.pk}").get_by_role("button", name="Undo")).to_be_hidden(
        timeout=15_000
    )


def test_a_bulk_decision_can_be_undone_on_a_phone(
    page: Page, live_server: Any, demo: dict[str, Any], screenshot_dir: Path
) -> None:
    load_moderation()
    comments = [held(demo, f"Bulk candidate {n}.") for n in range(2)]
    base = live_server.url
    page.set_viewport_size(PHONE)
    sign_in(page, base, "moderator@example.com")
    page.goto(base + "/desk/")
    page.screenshot(path=screenshot_dir / "desk-current-390.png", full_page=True)
    for comment in comments:
        page.locator(f"#item-{comment.pk} input[type=checkbox]").check()
    page.get_by_role("button", name="Approve selected").click()
    expect(page.locator("main")).to_contain_text("2 comments approved.")
    assert {c.status for c in Comment.objects.filter(pk__in=[c.pk for c in comments])} == {
        "published"
    }
    page.screenshot(path=screenshot_dir / "desk-bulk-undo-390.png", full_page=True)
    page.get_by_role("button", name="Undo").first.click()
    expect(page.locator(".messages")).to_contain_text("2 decisions undone.")
    assert {c.status for c in Comment.objects.filter(pk__in=[c.pk for c in comments])} == {
        "pending"
    }


@pytest.mark.parametrize("size", [PHONE, DESKTOP], ids=["390", "1280"])
def test_the_desk_pages_at_both_widths(
    page: Page, live_server: Any, demo: dict[str, Any], screenshot_dir: Path, size: dict[str, int]
) -> None:
    load_moderation()
    comment = held(demo, "Waiting on the night bus story.", hold_reasons=["suspect words: idiot"])
    base = live_server.url
    width = size["width"]
    page.set_viewport_size(size)
    sign_in(page, base, "editor@example.com")

    page.goto(base + "/desk/stories/")
    expect(page.get_by_role("heading", name="Triage by story")).to_be_visible()
    page.screenshot(path=screenshot_dir / f"desk-stories-{width}.png", full_page=True)
    assert serious_violations(page) == []
    page.get_by_role("link", name=comment.story.headline).first.click()
    expect(page.locator("main")).to_contain_text("Showing comments on")
    expect(page.locator(f"#item-{comment.pk}")).to_be_visible()

    page.goto(base + "/desk/dashboard/")
    expect(page.get_by_role("heading", name="Comments per day")).to_be_visible()
    page.screenshot(path=screenshot_dir / f"desk-dashboard-{width}.png", full_page=True)
    assert serious_violations(page) == []

    page.goto(base + "/desk/terms/")
    page.get_by_placeholder("Find a word or note").fill("idio")
    visible = page.locator("[data-term]:visible")
    expect(visible.first).to_contain_text("idio")
    page.screenshot(path=screenshot_dir / f"desk-terms-search-{width}.png", full_page=True)
    assert serious_violations(page) == []

    page.goto(base + f"/desk/reader/{comment.author_id}/")
    page.get_by_role("textbox", name="Private note").fill("Regular on transport stories.")
    page.get_by_role("button", name="Add note").click()
    expect(page.locator(".desk-notes")).to_contain_text("Regular on transport stories.")
    page.screenshot(path=screenshot_dir / f"desk-reader-notes-{width}.png", full_page=True)
    assert serious_violations(page) == []

    page.goto(base + "/desk/audit/")
    expect(page.locator("main")).to_contain_text("added a private note about")
    page.screenshot(path=screenshot_dir / f"desk-audit-sentences-{width}.png", full_page=True)
    assert serious_violations(page) == []

    page.goto(base + "/desk/quiet-hours/")
    page.get_by_label("Close commenting during the quiet hours").check()
    now = timezone.localtime()
    page.get_by_label("Closes at").fill(f"{now - timedelta(hours=1):%H:%M}")
    page.get_by_label("Reopens at").fill(f"{now + timedelta(hours=1):%H:%M}")
    page.get_by_role("button", name="Save quiet hours").click()
    expect(page.locator("main")).to_contain_text("Commenting is closed now")
    page.screenshot(path=screenshot_dir / f"desk-quiet-hours-{width}.png", full_page=True)
    assert serious_violations(page) == []


def test_a_reader_meets_quiet_hours_on_the_story_page(
    page: Page, live_server: Any, demo: dict[str, Any], screenshot_dir: Path
) -> None:
    now = timezone.localtime()
    QuietHours.objects.create(
        enabled=True,
        starts=(now - timedelta(hours=1)).time(),
        ends=(now + timedelta(hours=1)).time(),
    )
    quiet.changed()
    story = demo["stories"]["city-council-approves-night-bus-network"]
    base = live_server.url
    page.set_viewport_size(PHONE)
    sign_in(page, base, "member@example.com")
    page.goto(base + story.get_absolute_url() + "#comments")
    expect(page.locator("#comments")).to_contain_text("Commenting is paused for quiet hours")
    expect(page.locator("#comments textarea[name=text]")).to_have_count(0)
    page.locator("#comments").screenshot(path=screenshot_dir / "story-quiet-hours-390.png")
