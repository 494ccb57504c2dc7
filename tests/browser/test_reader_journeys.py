"""Readers' journeys from the walk-through (issue 17), in a real Chromium at 390 and 1280 px:
picks above the stream, the gate said up front, back to the comment box after naming,
e-mail confirmation, tabs that fit a phone, a lead image with a correction, dark mode.

Screenshots land in var/screenshots/readers-*.png.
"""

import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from playwright.sync_api import Page, expect

from broadsheet.comments import services as comment_services
from broadsheet.comments.models import Comment
from broadsheet.stories import images
from broadsheet.stories import services as story_services
from broadsheet.stories.models import Story
from tests.browser.accessibility import serious_violations
from tests.browser.test_comments import STORY, open_story, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [390, 1280]


@pytest.fixture(autouse=True)
def _no_rate_limits(settings: Any, tmp_path: Path) -> None:
    settings.COMMENT_RATE_LIMIT_SECONDS = 0
    settings.MEDIA_ROOT = tmp_path / "media"


def fits(page: Page, selector: str) -> None:
    """Every link of `selector` is inside the window: nothing clipped, nothing hidden."""
    width = page.viewport_size["width"]  # type: ignore[index]
    links = page.locator(f"{selector} a")
    assert links.count() > 1
    for index in range(links.count()):
        box = links.nth(index).bounding_box()
        assert box is not None
        assert box["x"] >= 0, (selector, index, box)
        assert box["x"] + box["width"] <= width, (selector, index, box)
    overflow = page.eval_on_selector(selector + " ul", "el => el.scrollWidth - el.clientWidth")
    assert overflow <= 1


@pytest.mark.parametrize("width", WIDTHS)
def test_picks_are_a_strip_above_the_full_stream_and_tabs_fit(
    page: Page, live_server: Any, demo: dict[str, Any], screenshot_dir: Path, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    comment_services.post_comment(
        demo["users"]["member@example.com"], Story.objects.get(slug=STORY), "Not a pick, yet shown."
    )
    story = open_story(page, live_server)
    total = Comment.objects.filter(story=story, status="published").count()
    strip = page.get_by_role("region", name=re.compile("^Editors. picks$"))
    expect(strip).to_be_visible()
    expect(strip.locator(".pick")).to_have_count(
        Comment.objects.filter(story=story, is_featured=True, status="published").count()
    )
    tabs = page.get_by_role("navigation", name="Sort comments")
    expect(tabs.locator("[aria-current=true]")).to_have_text("Newest")
    # The whole stream shows, the pick among the rest.
    expect(page.locator(".stream__list article.comment")).to_have_count(total)
    assert total > 1
    expect(page.locator(".stream__list")).to_contain_text("Not a pick, yet shown.")
    # The strip comes before the stream.
    assert strip.bounding_box()["y"] < page.locator(".stream__list").bounding_box()["y"]  # type: ignore[index]
    fits(page, ".sections")
    fits(page, ".stream__sorts")
    page.locator("#comments").screenshot(path=screenshot_dir / f"readers-picks-{width}.png")
    strip.get_by_role("link", name="See it in the conversation").first.click()
    expect(page.locator(".comment--featured").first).to_be_visible()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_desk_tabs_fit_a_phone(
    page: Page, live_server: Any, demo: dict[str, Any], screenshot_dir: Path, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server, demo, "moderator")
    page.goto(live_server.url + "/desk/")
    fits(page, ".desk-tabs")
    page.screenshot(path=screenshot_dir / f"readers-desk-tabs-{width}.png")


def test_a_visitor_is_told_which_plans_include_commenting(
    page: Page, live_server: Any, demo: dict[str, Any], screenshot_dir: Path
) -> None:
    page.set_viewport_size({"width": 390, "height": 900})
    open_story(page, live_server)
    gate = page.locator(".gate")
    expect(gate).to_contain_text("Sign in or create an account to join the conversation.")
    expect(gate).to_contain_text("Commenting comes with Digital Plus (with a 14-day free trial).")
    gate.screenshot(path=screenshot_dir / "readers-visitor-gate-390.png")
    page.goto(live_server.url + "/plans/")
    free = page.locator(".plan").first
    expect(free.get_by_role("link", name="Create a free account")).to_be_visible()
    page.screenshot(path=screenshot_dir / "readers-plans-visitor-390.png", full_page=True)


def test_after_naming_themselves_a_reader_is_back_in_the_comment_box(
    page: Page, live_server: Any, demo: dict[str, Any], screenshot_dir: Path
) -> None:
    page.set_viewport_size({"width": 390, "height": 900})
    sign_in(page, live_server, demo, "noname")
    open_story(page, live_server)
    page.get_by_role("link", name="Profile section").click()
    page.get_by_label("Display name").fill("Night Owl")
    page.get_by_role("button", name=re.compile("^Save")).click()
    expect(page).to_have_url(re.compile(rf"/story/{STORY}/#comments$"))
    box = page.get_by_role("textbox", name="Join the conversation")
    expect(box).to_be_focused()
    page.screenshot(path=screenshot_dir / "readers-back-to-the-box-390.png")


def test_confirming_the_address_signs_in_with_a_next_step_for_the_plan(
    page: Page, live_server: Any, demo: dict[str, Any], screenshot_dir: Path
) -> None:
    page.set_viewport_size({"width": 390, "height": 900})
    page.goto(live_server.url + "/accounts/sign-up/")
    page.get_by_label("E-mail").fill("new-reader@example.com")
    page.get_by_label("Password").first.fill("a long and careful password")
    page.get_by_role("button", name=re.compile("Create")).click()
    message = [m for m in mail.outbox if m.to == ["new-reader@example.com"]][-1]
    link = re.search(r"https?://[^/\s]+(/accounts/verify/\S+/)", message.body)
    assert link
    page.context.clear_cookies()
    page.goto(live_server.url + link.group(1))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your e-mail address is confirmed")
    expect(page.locator("main")).to_contain_text("you are signed in")
    expect(page.locator("main")).not_to_contain_text("display name")
    expect(page.locator("main")).to_contain_text("Commenting comes with Digital Plus")
    page.screenshot(path=screenshot_dir / "readers-confirmed-390.png", full_page=True)
    page.goto(live_server.url + "/accounts/profile/")
    expect(page).to_have_url(re.compile("/accounts/profile/$"))  # signed in, not sent away


def photo() -> SimpleUploadedFile:
    picture = Image.new("RGB", (1800, 1000), (40, 80, 120))
    for x in range(0, 1800, 60):
        picture.paste((200, 160, 60), (x, 600, x + 30, 1000))
    out = io.BytesIO()
    picture.save(out, "JPEG")
    return SimpleUploadedFile("quay.jpg", out.getvalue())


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("width", WIDTHS)
def test_a_story_with_a_lead_image_and_a_correction_light_and_dark(
    page: Page,
    live_server: Any,
    demo: dict[str, Any],
    screenshot_dir: Path,
    width: int,
    scheme: str,
) -> None:
    story = Story.objects.get(slug=STORY)
    story.image_alt = "Night buses lined up at the depot"
    story.image_caption = "The depot on Harbour Road."
    story.image_credit = "Photo: Ada Lee"
    story.save(update_fields=["image_alt", "image_caption", "image_credit"])
    story_services.set_lead_image(story, images.prepare(photo()))
    story_services.add_note(
        story, "correction", "An earlier version gave the last bus as 23:10; it is 23:40."
    )
    Story.objects.filter(pk=story.pk).update(comment_mode=Story.CommentMode.PREMODERATED)
    comment_services.post_comment(demo["users"]["member@example.com"], story, "Looks good.")
    page.emulate_media(color_scheme=scheme)  # type: ignore[arg-type]
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server, demo, "member")
    open_story(page, live_server)
    page.goto(f"{live_server.url}{story.get_absolute_url()}")
    figure = page.locator(".story__figure img")
    expect(figure).to_have_attribute("alt", "Night buses lined up at the depot")
    # The browser picked a width from srcset that fits the column (and its pixel density).
    chosen = figure.evaluate("img => img.currentSrc")
    assert re.search(r"-(480|960|1600)\.jpg$", chosen), chosen
    expect(page.locator(".story__notes")).to_contain_text("it is 23:40")
    expect(page.locator(".composer__review")).to_contain_text("reviewed by a moderator")
    page.screenshot(path=screenshot_dir / f"readers-story-{scheme}-{width}.png", full_page=True)
    assert serious_violations(page) == []


@pytest.mark.parametrize("path", ["/", "/plans/", "/accounts/sign-in/", "/desk/"])
def test_dark_mode_keeps_contrast(
    page: Page, live_server: Any, demo: dict[str, Any], screenshot_dir: Path, path: str
) -> None:
    page.emulate_media(color_scheme="dark")
    page.set_viewport_size({"width": 1280, "height": 900})
    if path == "/desk/":
        sign_in(page, live_server, demo, "moderator")
    page.goto(live_server.url + path)
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(22, 21, 20)"
    name = path.strip("/").replace("/", "-") or "home"
    page.screenshot(path=screenshot_dir / f"readers-dark-{name}-1280.png", full_page=True)
    assert serious_violations(page) == []
