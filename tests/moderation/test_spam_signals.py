"""Spam without the earnings vocabulary, blocked domains, and a reader's link history."""

from collections.abc import Callable

import pytest
from django.test import Client
from django.urls import reverse

from broadsheet.accounts.models import User
from broadsheet.comments.models import Comment
from broadsheet.moderation import spam
from broadsheet.moderation.models import BlockedDomain
from broadsheet.moderation.pipeline import Outcome, screen
from broadsheet.stories.models import Story

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("text", "signal"),
    [
        ("Congratulations! You have been selected for a £500 voucher, reply now.", "prize claim"),
        ("Need a loan fast? Bad credit no problem. Call 07700 900123 today.", "loan offer"),
        ("Watch all the latest films free in HD at freemoviesnow.xyz", "free media"),
        ("Doctors hate her! This one weird trick melts belly fat.", "miracle cure"),
        ("Great deals here: bit.ly/3xYzAb", "short link"),
    ],
)
def test_spam_without_earnings_words_is_held_as_spam(
    reader: User, story: Story, text: str, signal: str
) -> None:
    result = screen(author=reader, story=story, text=text)
    assert result.outcome == Outcome.HOLD
    assert result.category == "spam"
    assert signal in result.reasons[0]


@pytest.mark.parametrize(
    "text",
    [
        "I won a raffle prize at the school fete, a hamper. Small pleasures.",
        "The loan to the football club was approved by the council in 2019.",
        "My phone is 10 years old and still works.",
        "You can read the full report at gov.uk, it's long but worth it.",
    ],
)
def test_news_about_prizes_loans_and_phones_is_not_spam(text: str) -> None:
    assert spam.signals(text).weight < 2, text


def test_a_domain_moderators_block_holds_comments_linking_to_it(
    moderator_client: Client, reader: User, story: Story, make_comment: Callable[..., Comment]
) -> None:
    for n in range(3):
        make_comment(f"An established reader's comment number {n}.")
    text = "Worth reading: https://news.cheap-pills.example/today"
    assert screen(author=reader, story=story, text=text).outcome == Outcome.PUBLISH
    response = moderator_client.post(
        reverse("moderation:block_domain"), {"domain": "https://www.cheap-pills.example/x"}
    )
    assert response.status_code == 302
    assert BlockedDomain.objects.get().domain == "cheap-pills.example"
    result = screen(author=reader, story=story, text=text)
    assert result.outcome == Outcome.HOLD
    assert "blocked domain" in result.reasons[0]
    page = moderator_client.get(reverse("moderation:thresholds")).content.decode()
    assert "cheap-pills.example" in page


def test_a_domain_that_is_not_one_is_refused(moderator_client: Client) -> None:
    response = moderator_client.post(
        reverse("moderation:block_domain"), {"domain": "not a domain"}, follow=True
    )
    assert "Enter a domain such as" in response.content.decode()
    assert not BlockedDomain.objects.exists()


def test_the_same_link_on_several_stories_is_held(
    reader: User, story: Story, other_story: Story, make_comment: Callable[..., Comment]
) -> None:
    for n in range(3):
        make_comment(f"Plain comment {n} with no link at all, about the buses.")
    make_comment("Interesting, see harbour-deals.com/offer", on=other_story)
    result = screen(author=reader, story=story, text="More at harbour-deals.com/offer")
    assert result.outcome == Outcome.HOLD
    assert "same link on 2 stories" in result.reasons[0]


def test_a_reader_whose_comments_are_mostly_links_is_held_sooner(
    reader: User, story: Story, make_comment: Callable[..., Comment]
) -> None:
    for n in range(4):
        make_comment(f"See www.site{n}.example for more")
    result = screen(author=reader, story=story, text="And www.another.example too")
    assert result.outcome == Outcome.HOLD
    assert "mostly links" in result.reasons[0]
