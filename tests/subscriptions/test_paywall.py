"""Subscriber stories: entitled readers read in full, others on a monthly allowance, then the
opening and the paywall."""

from datetime import timedelta

import pytest
from django.test import RequestFactory
from django.utils import timezone

from broadsheet.accounts.models import User
from broadsheet.subscriptions.models import PremiumRead
from broadsheet.subscriptions.paywall import opening, story_access


@pytest.fixture
def premium(demo):
    return [s for s in demo["stories"].values() if s.is_premium]


def test_the_demo_has_subscriber_stories_to_meter(premium):
    assert len(premium) >= 2


def is_paywalled(response) -> bool:
    return 'class="paywall"' in response.content.decode()


def test_a_free_story_is_always_read_in_full(client, demo):
    free_story = next(s for s in demo["stories"].values() if not s.is_premium)
    for _ in range(3):
        assert not is_paywalled(client.get(free_story.get_absolute_url()))


def test_subscribers_read_every_subscriber_story_in_full(client, demo, premium):
    client.force_login(User.objects.get(email="digital@example.com"))
    for story in premium * 2:
        response = client.get(story.get_absolute_url())
        assert not is_paywalled(response)
    assert not PremiumRead.objects.exists()


def test_a_registered_reader_has_an_allowance_per_account(client, demo, premium):
    first, second = premium[:2]
    client.force_login(User.objects.get(email="free@example.com"))

    assert not is_paywalled(client.get(first.get_absolute_url()))
    assert not is_paywalled(client.get(first.get_absolute_url()))  # the same story again is free
    response = client.get(second.get_absolute_url())
    assert is_paywalled(response)
    page = response.content.decode()
    assert "You have read your 1 free subscriber story this month." in page
    assert 'href="/plans/digital-plus/checkout/?next=' in page
    assert f"?next={second.get_absolute_url()}" in page.replace("%2F", "/")

    # The allowance follows the account into another browser.
    other_browser = type(client)()
    other_browser.force_login(User.objects.get(email="free@example.com"))
    assert is_paywalled(other_browser.get(second.get_absolute_url()))
    assert not is_paywalled(other_browser.get(first.get_absolute_url()))


def test_a_visitor_has_an_allowance_per_browser(client, demo, premium):
    first, second = premium[:2]
    assert not is_paywalled(client.get(first.get_absolute_url()))
    response = client.get(second.get_absolute_url())
    assert is_paywalled(response)
    assert "sign in</a> if you already do" in response.content.decode()

    another_browser = type(client)()
    assert not is_paywalled(another_browser.get(second.get_absolute_url()))


def test_the_paywall_shows_the_opening_but_not_the_rest(client, demo, premium):
    story = premium[1]
    client.get(premium[0].get_absolute_url())
    page = client.get(story.get_absolute_url()).content.decode()

    paragraphs = story.body_html.split("</p>")
    assert paragraphs[0] in page
    assert paragraphs[1] in page
    assert paragraphs[-2] not in page


def test_the_allowance_starts_again_each_month(client, demo, premium):
    reader = User.objects.get(email="free@example.com")
    last_month = (timezone.localdate().replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    PremiumRead.objects.create(reader=reader, story=premium[1], month=last_month, at=timezone.now())
    client.force_login(reader)

    assert not is_paywalled(client.get(premium[0].get_absolute_url()))
    assert is_paywalled(client.get(premium[1].get_absolute_url()))


def test_a_lapsed_subscriber_is_metered_like_everyone_else(client, demo, premium):
    reader = User.objects.get(email="digital@example.com")
    reader.subscriptions.update(status="canceled", ended_at=timezone.now() - timedelta(days=1))
    client.force_login(reader)

    assert not is_paywalled(client.get(premium[0].get_absolute_url()))
    response = client.get(premium[1].get_absolute_url())
    assert is_paywalled(response)
    ended = reader.subscriptions.get().ended_at
    assert f"Your Digital subscription ended on {ended:%-d %B %Y}." in response.content.decode()
    assert 'href="/plans/digital/checkout/?next=' in response.content.decode()


def test_story_access_reports_what_is_left(demo, premium):
    request = RequestFactory().get("/")
    request.user = User.objects.get(email="free@example.com")
    request.session = {}  # type: ignore[assignment]

    access = story_access(request, premium[0])
    assert (access.full, access.reason, access.remaining, access.allowance) == (
        True, "allowance", 0, 1,
    )  # fmt: skip
    blocked = story_access(request, premium[1])
    assert (blocked.full, blocked.reason) == (False, "premium")
    assert [plan.slug for plan in blocked.offers] == ["digital", "digital-plus"]


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>one</p><p>two</p><p>three</p>", "<p>one</p><p>two</p>"),
        ("<p>only</p>", ""),  # never the whole story
        ("<p>one</p><p>two</p>", "<p>one</p>"),
        ("<p>a</p><ul><li><p>b</p></li><li>c</li></ul>", "<p>a</p><ul><li><p>b</p></li></ul>"),
    ],
)
def test_opening_cuts_after_paragraphs_and_closes_tags(html, expected):
    assert opening(html, 2) == expected
