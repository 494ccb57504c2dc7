"""The commenting gate: each reason, in order, on the story page, in the API and on a post."""

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from broadsheet.accounts.models import User
from broadsheet.comments import quiet
from broadsheet.comments.gate import DISPLAY_NAME_MESSAGE, decide
from broadsheet.comments.models import Comment, QuietHours
from broadsheet.stories.models import Story
from tests.comments.conftest import make_banned, make_lapsed, make_suspended

pytestmark = pytest.mark.django_db


def close_story(story: Story, users: dict[str, User]) -> str:
    story.comment_mode = Story.CommentMode.CLOSED
    story.save()
    return "member"


def close_by_age(story: Story, users: dict[str, User]) -> str:
    story.close_comments_after_days = 2
    story.published_at = timezone.now() - timedelta(days=3)
    story.save()
    return "member"


def quiet_now(story: Story, users: dict[str, User]) -> str:
    """Quiet hours from an hour ago to an hour from now, in the site's time zone."""
    now = timezone.localtime()
    QuietHours.objects.create(
        enabled=True,
        starts=(now - timedelta(hours=1)).time().replace(second=0, microsecond=0),
        ends=(now + timedelta(hours=1)).time().replace(second=0, microsecond=0),
    )
    quiet.changed()
    return "member"


def banned(story: Story, users: dict[str, User]) -> str:
    make_banned(users["member"])
    make_suspended(users["member"])
    return "member"


def suspended(story: Story, users: dict[str, User]) -> str:
    make_suspended(users["member"])
    return "member"


def lapsed(story: Story, users: dict[str, User]) -> str:
    make_lapsed(users["member"])
    return "member"


# (case, set-up returning who asks, reason, words the reader sees, link it offers)
CASES: list[tuple[str, Callable[[Story, dict[str, User]], str], str, str, str]] = [
    ("closed", close_story, "story_closed", "Comments are closed for this story.", ""),
    ("closed by age", close_by_age, "story_closed", "Comments are closed for this story.", ""),
    ("quiet hours", quiet_now, "quiet_hours", "Commenting is paused for quiet hours, from ", ""),
    (
        "visitor",
        lambda s, u: "visitor",
        "sign_in_required",
        # Which plans include commenting is said before the visitor signs up.
        "Sign in or create an account to join the conversation. Commenting comes with "
        "Digital Plus (with a 14-day free trial).",
        "/accounts/sign-up/?next=%2Fstory%2F",
    ),
    ("banned", banned, "banned", "Your account has been banned from commenting.", ""),
    ("suspended", suspended, "suspended", "Your commenting is suspended until ", ""),
    (
        "free plan",
        lambda s, u: "free",
        "plan_excludes_comments",
        "Your current plan, Registered, does not include commenting.",
        "/plans/",
    ),
    (
        "digital plan",
        lambda s, u: "digital",
        "plan_excludes_comments",
        "Your current plan, Digital, does not include commenting. Commenting comes with "
        "Digital Plus (with a 14-day free trial).",
        "/plans/",
    ),
    (
        "lapsed subscription",
        lapsed,
        "plan_excludes_comments",
        "Your Digital Plus subscription ended on ",
        "/plans/",
    ),
    (
        "no display name",
        lambda s, u: "noname",
        "display_name_required",
        DISPLAY_NAME_MESSAGE,
        "/accounts/profile/?next=%2Fstory%2Fcity-council-approves-night-bus-network%2F%23comments"
        "#display-name",
    ),
]
IDS = [case[0] for case in CASES]


def visible_text(html: str) -> str:
    import re

    return re.sub(r"<[^>]+>", "", html)


@pytest.mark.parametrize(("case", "setup", "reason", "words", "link"), CASES, ids=IDS)
def test_the_story_page_explains_the_gate(
    client_for: Callable[[str], Client],
    story: Story,
    users: dict[str, User],
    case: str,
    setup: Any,
    reason: str,
    words: str,
    link: str,
) -> None:
    who = setup(story, users)
    html = client_for(who).get(story.get_absolute_url()).content.decode()
    assert f'data-gate="{reason}"' in html
    assert words in visible_text(html)
    if link:
        assert f'href="{link}' in html
    # No form to post with, and the existing comments stay visible.
    assert 'name="text"' not in html
    assert "the last bus leaves at 23:40" in html


@pytest.mark.parametrize(("case", "setup", "reason", "words", "link"), CASES, ids=IDS)
def test_the_api_gives_the_same_decision(
    client_for: Callable[[str], Client],
    story: Story,
    users: dict[str, User],
    case: str,
    setup: Any,
    reason: str,
    words: str,
    link: str,
) -> None:
    who = setup(story, users)
    answer = client_for(who).get(f"/api/comments/stories/{story.slug}/gate").json()
    assert answer["allowed"] is False
    assert answer["reason"] == reason
    assert words.rstrip() in answer["message"]
    if link:
        assert any(item["url"].startswith(link) for item in answer["links"])


@pytest.mark.parametrize(("case", "setup", "reason", "words", "link"), CASES, ids=IDS)
def test_a_crafted_post_is_refused_for_the_same_reason(
    client_for: Callable[[str], Client],
    story: Story,
    users: dict[str, User],
    case: str,
    setup: Any,
    reason: str,
    words: str,
    link: str,
) -> None:
    who = setup(story, users)
    client = client_for(who)
    before = Comment.objects.count()
    count = Story.objects.get(pk=story.pk).comment_count

    page = client.post(f"/comments/story/{story.pk}/", {"text": "Let me in", "token": "t1"})
    assert page.status_code == (401 if reason == "sign_in_required" else 403)
    assert words in visible_text(page.content.decode())
    assert "Let me in" in page.content.decode()  # the form keeps the text

    api = client.post(
        f"/api/comments/stories/{story.slug}/comments",
        json.dumps({"text": "Let me in"}),
        content_type="application/json",
    )
    assert api.status_code == (401 if reason == "sign_in_required" else 403)
    assert api.json()["code"] == reason

    first = Comment.objects.filter(story=story, status=Comment.Status.PUBLISHED).first()
    assert first is not None
    reply = client.post(f"/comments/{first.pk}/reply/", {"text": "Let me in", "token": "t2"})
    assert reply.status_code == page.status_code

    assert Comment.objects.count() == before
    assert Story.objects.get(pk=story.pk).comment_count == count


def test_a_reader_who_may_comment_sees_the_form(
    client_for: Callable[[str], Client], story: Story, member: User
) -> None:
    assert decide(member, story).allowed
    html = client_for("member").get(story.get_absolute_url()).content.decode()
    assert 'name="text"' in html
    assert "data-gate" not in html
    answer = client_for("member").get(f"/api/comments/stories/{story.slug}/gate").json()
    assert answer == {"allowed": True, "reason": "", "message": "", "fix_url": "", "links": []}


def test_the_first_reason_wins(story: Story, users: dict[str, User]) -> None:
    noname = users["noname"]
    make_suspended(noname)
    assert decide(noname, story).reason == "suspended"
    make_banned(noname)
    assert decide(noname, story).reason == "banned"
    story.comment_mode = Story.CommentMode.CLOSED
    assert decide(noname, story).reason == "story_closed"


def test_the_suspension_says_until_when(story: Story, member: User) -> None:
    sanction = make_suspended(member, days=3)
    assert sanction.ends_at is not None
    assert f"until {sanction.ends_at:%-d %B %Y}" in decide(member, story).message


def test_an_expired_suspension_no_longer_stops_anyone(story: Story, member: User) -> None:
    sanction = make_suspended(member)
    sanction.ends_at = timezone.now() - timedelta(minutes=1)
    sanction.save()
    assert decide(member, story).allowed


def test_a_lapsed_subscription_says_when_it_ended(story: Story, member: User) -> None:
    ended = make_lapsed(member).ended_at
    assert ended is not None
    decision = decide(member, story)
    assert decision.message.startswith(
        f"Your Digital Plus subscription ended on {ended:%-d %B %Y}."
    )
    assert decision.fix_url == "/plans/"
    assert 'href="/plans/">Renew your subscription</a>' in decision.message_html


def test_the_display_name_link_returns_to_the_story(story: Story, users: dict[str, User]) -> None:
    decision = decide(users["noname"], story)
    assert decision.message == DISPLAY_NAME_MESSAGE
    assert (
        '<a href="/accounts/profile/?next=%2Fstory%2Fcity-council-approves-night-bus-network%2F'
        '%23comments#display-name">Profile section</a>'
    ) in decision.message_html


def test_the_plans_the_gate_names_follow_an_editors_change(
    client_for: Callable[[str], Client], story: Story, users: dict[str, User]
) -> None:
    from broadsheet.subscriptions.models import Plan

    page = visible_text(client_for("visitor").get(story.get_absolute_url()).content.decode())
    assert "Commenting comes with Digital Plus (with a 14-day free trial)." in page
    plan = Plan.objects.get(slug="digital-plus")
    plan.name, plan.trial_days = "Supporter", 0
    plan.save()  # as the admin saves it: every process reads the plans again
    page = visible_text(client_for("visitor").get(story.get_absolute_url()).content.decode())
    assert "Commenting comes with Supporter." in page
