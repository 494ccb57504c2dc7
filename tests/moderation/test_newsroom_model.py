"""The model that learns the desk's own line, and is used only once it beats the shipped checks."""

import itertools
from collections.abc import Callable
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from broadsheet.accounts.models import User
from broadsheet.comments.models import Comment
from broadsheet.moderation import newsroom, services
from broadsheet.moderation.models import Decision, NewsroomModel
from broadsheet.moderation.pipeline import Outcome, screen
from broadsheet.moderation.tasks import train_newsroom_model
from broadsheet.stories.models import Story

pytestmark = pytest.mark.django_db

RIVALS = ["Gazette", "Courier", "Herald", "Chronicle", "Echo", "Mercury"]
TOPICS = ["flood", "bypass", "library", "budget", "bus lanes", "school merger", "harbour"]
CIVIL = [
    "Good to see the {t} finally discussed; the council should publish the figures.",
    "I live near the {t} and most neighbours I spoke to support the plan.",
    "Does anyone know when the consultation on the {t} closes?",
    "The article on the {t} missed the point about costs, in my view.",
]
# This desk rejects plugs for rival papers: polite text the shipped checks let through.
PLUG = "Read the {r} instead, their coverage of the {t} was far better than this."


def decide_all(moderator: User, make: Callable[..., Comment], count: int, *, rude: bool) -> None:
    """Alternate approvals and rejections, as a desk works through a queue."""
    topics = itertools.cycle(TOPICS)
    rivals = itertools.cycle(RIVALS)
    civil = itertools.cycle(CIVIL)
    for n in range(count):
        topic = next(topics)
        if n % 2:
            text = (
                f"You idiot, the {topic} is fine ({n})."
                if rude
                else PLUG.format(r=next(rivals), t=topic) + f" ({n})"
            )
            action, reason = "reject", "Not for this site"
        else:
            text = next(civil).format(t=topic) + f" ({n})"
            action, reason = "approve", ""
        comment = make(text, status=Comment.Status.PENDING)
        services.decide(
            moderator, comment.pk, action, seen=services.Seen(1, "pending"), reason=reason
        )


def test_every_approve_and_reject_is_kept_with_the_text_judged(
    moderator: User, make_comment: Callable[..., Comment]
) -> None:
    decide_all(moderator, make_comment, 4, rude=False)
    make_comment("Still waiting for anyone to decide.", status=Comment.Status.PENDING)
    decisions = list(Decision.objects.order_by("pk"))
    assert [d.rejected for d in decisions] == [False, True, False, True]
    assert decisions[1].text.startswith("Read the Gazette instead")
    assert not Decision.objects.filter(text__startswith="Still waiting").exists()


def test_too_few_decisions_train_nothing(
    moderator: User, make_comment: Callable[..., Comment]
) -> None:
    decide_all(moderator, make_comment, 6, rude=False)
    out = StringIO()
    call_command("train_moderation_model", stdout=out)
    assert "Not enough decisions yet: 6 (3 approved, 3 rejected)" in out.getvalue()
    assert not NewsroomModel.objects.exists()


def test_a_model_that_beats_the_shipped_checks_scores_new_comments(
    moderator: User,
    moderator_client: Client,
    make_comment: Callable[..., Comment],
    reader: User,
    story: Story,
) -> None:
    text = "Honestly, read the Echo instead, their coverage of the marina was far better."
    assert screen(author=reader, story=story, text=text).outcome == Outcome.PUBLISH
    decide_all(moderator, make_comment, 60, rude=False)
    out = StringIO()
    call_command("train_moderation_model", stdout=out)
    assert "so it now scores new comments" in out.getvalue()
    trained = NewsroomModel.objects.get()
    assert trained.in_use
    assert trained.model_score > trained.shipped_score
    assert trained.trained_on + trained.held_out == 60
    result = screen(author=reader, story=story, text=text)
    assert result.outcome == Outcome.HOLD
    assert result.reasons[0].startswith("newsroom model")
    civil = "Does anyone know when the consultation on the marina closes?"
    assert screen(author=reader, story=story, text=civil).outcome == Outcome.PUBLISH
    page = moderator_client.get(reverse("moderation:thresholds")).content.decode()
    assert f"<td>{trained.held_out}</td>" in page
    assert "<strong>yes</strong>" in page


def test_another_process_loads_the_same_model_from_the_database(
    moderator: User, make_comment: Callable[..., Comment]
) -> None:
    decide_all(moderator, make_comment, 60, rude=False)
    newsroom.train()
    text = "Read the Herald instead, their coverage of the pier was far better than this."
    score = newsroom.score(text)
    newsroom._loaded = None  # what a freshly started worker holds
    cache.clear()
    assert newsroom.score(text) == score


def test_a_model_no_better_than_the_shipped_checks_is_not_used(
    default_lists: None,
    moderator: User,
    make_comment: Callable[..., Comment],
    reader: User,
    story: Story,
) -> None:
    decide_all(moderator, make_comment, 60, rude=True)
    outcome = newsroom.train()
    assert outcome.trained
    assert "the shipped checks do better" in outcome.message
    assert outcome.model is not None
    assert not outcome.model.in_use
    assert newsroom.score("anything") is None


def test_the_task_and_the_desk_button_train_the_same_way(
    moderator: User, moderator_client: Client, make_comment: Callable[..., Comment]
) -> None:
    decide_all(moderator, make_comment, 60, rude=False)
    result = train_newsroom_model.enqueue()
    assert "now scores new comments" in result.return_value
    page = moderator_client.post(reverse("moderation:train"), follow=True).content.decode()
    assert "Trained on 45 decisions" in page
    assert NewsroomModel.objects.count() == 2
    assert NewsroomModel.objects.filter(in_use=True).count() == 1
