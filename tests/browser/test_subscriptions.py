"""A registered reader meets the paywall, subscribes with a test card and reads on."""

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Page, base: str, email: str) -> None:
    page.goto(base + "/accounts/sign-in/")
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(settings.DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("link", name="Account")).to_be_visible()


@pytest.mark.parametrize("width", [390, 1280])
def test_free_reader_hits_the_paywall_subscribes_and_reads_in_full(
    page: Page, live_server: Any, demo: dict[str, Any], screenshot_dir: Path, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    base = live_server.url
    first = demo["stories"]["harbour-warehouses-become-housing"]
    second = demo["stories"]["budget-talks-stall-over-school-funding"]
    last_paragraph = second.body.strip().split("\n\n")[-1].split("\n")[0]
    sign_in(page, base, "free@example.com")

    # The monthly allowance: one subscriber story in full.
    page.goto(base + first.get_absolute_url())
    expect(page.locator(".story__body")).to_contain_text("Construction is due to begin")
    expect(page.locator(".paywall")).to_have_count(0)

    # The next one shows its opening and the paywall.
    page.goto(base + second.get_absolute_url())
    paywall = page.get_by_role("complementary", name="Keep reading with a subscription")
    expect(paywall).to_be_visible()
    expect(paywall).to_contain_text("You have read your 1 free subscriber story this month.")
    expect(page.locator(".paywall__preview")).to_be_visible()
    expect(page.get_by_text(last_paragraph)).to_have_count(0)
    page.screenshot(path=screenshot_dir / f"paywall-{width}.png", full_page=True)

    # Subscribe to the commenting plan; a declined card first.
    paywall.get_by_role("link", name="Start free trial to Digital Plus").click()
    expect(page.get_by_role("heading", name="Subscribe to Digital Plus")).to_be_visible()
    expect(page.get_by_role("complementary", name="Test mode")).to_contain_text(
        "4242 4242 4242 4242"
    )
    page.get_by_label("Card number").fill("4000 0000 0000 0002")
    page.get_by_label("Expiry (MM/YY)").fill("12/30")
    page.get_by_label("CVC").fill("123")
    page.get_by_role("button", name="Start my free trial").click()
    expect(page.get_by_text("Your card was declined.")).to_be_visible()
    expect(page.get_by_label("Card number")).to_have_value("")
    page.screenshot(path=screenshot_dir / f"checkout-declined-{width}.png", full_page=True)

    page.get_by_label("Card number").fill("4242 4242 4242 4242")
    page.get_by_label("Expiry (MM/YY)").fill("12/30")
    page.get_by_label("CVC").fill("123")
    page.get_by_role("button", name="Start my free trial").dblclick()

    # Back on the story, now in full.
    expect(page).to_have_url(base + second.get_absolute_url())
    expect(page.get_by_text("Welcome to Digital Plus.")).to_be_visible()
    expect(page.get_by_text(last_paragraph)).to_be_visible()
    expect(page.locator(".paywall")).to_have_count(0)
    assert demo["users"]["free@example.com"].subscriptions.count() == 1
    # The comment box no longer asks for a plan, but for a display name.
    comments = page.locator("#comments")
    expect(comments).to_contain_text(
        "With your current subscription plan you can comment on stories. However, before "
        "writing your first comment, please create a display name in the Profile section "
        "of your subscriber account page."
    )
    expect(comments.get_by_role("link", name="Profile section")).to_be_visible()
    expect(comments).not_to_contain_text("does not include commenting")

    page.goto(base + "/accounts/subscription/")
    section = page.locator("#subscription")
    expect(section).to_contain_text("Digital Plus")
    expect(section).to_contain_text("Trial ends")
    page.screenshot(path=screenshot_dir / f"account-subscription-{width}.png", full_page=True)

    page.goto(base + "/plans/")
    expect(page.locator(".plan--current")).to_contain_text("Digital Plus")
    page.screenshot(path=screenshot_dir / f"plans-{width}.png", full_page=True)


@pytest.mark.parametrize("width", [390, 1280])
def test_plans_page_for_a_visitor(
    page: Page, live_server: Any, demo: dict[str, Any], screenshot_dir: Path, width: int
) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(live_server.url + "/plans/")
    expect(page.get_by_role("heading", name="Choose your plan")).to_be_visible()
    expect(page.locator(".plan")).to_have_count(3)
    page.screenshot(path=screenshot_dir / f"plans-visitor-{width}.png", full_page=True)


@pytest.mark.parametrize("width", [390, 1280])
def test_overdue_reader_sees_the_declined_payment_and_pays_with_a_new_card(
    page: Page, live_server: Any, demo: dict[str, Any], screenshot_dir: Path, width: int
) -> None:
    from datetime import timedelta

    from django.utils import timezone

    from broadsheet.subscriptions import services
    from broadsheet.subscriptions.renewals import renew_due

    reader = demo["users"]["digital@example.com"]
    reader.subscriptions.all().delete()
    start = timezone.now() - timedelta(days=33)
    reader.subscriptions.create(  # a trial used long ago: the next subscription is paid
        plan=demo["plans"]["digital"], status="expired", started_at=start - timedelta(days=400),
        current_period_end=start, trial_ends_at=start, ended_at=start,
    )  # fmt: skip
    card = {"number": "4000000000000341", "exp": "12/30", "cvc": "123"}
    sub = services.subscribe(reader, plan="digital", card=card, idempotency_key="k" * 32, now=start)
    renew_due(sub.current_period_end + timedelta(minutes=1))

    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server.url, "digital@example.com")
    page.goto(live_server.url + "/accounts/subscription/")
    section = page.locator("#subscription")
    expect(section).to_contain_text("was declined")
    expect(section.locator(".payments")).to_contain_text("Declined")
    page.screenshot(path=screenshot_dir / f"account-overdue-{width}.png", full_page=True)

    page.get_by_label("Card number").fill("4242 4242 4242 4242")
    page.get_by_label("Expiry (MM/YY)").fill("12/30")
    page.get_by_label("CVC").fill("123")
    page.get_by_role("button", name="Pay €6.00 with this card").click()
    expect(page.get_by_text("Your card is updated.")).to_be_visible()
    expect(section.locator(".badge")).to_have_text("active")
