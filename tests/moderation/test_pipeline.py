"""The automatic checks, phase by phase, and the order in which they apply."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import override_settings
from django.utils import timezone

from broadsheet.accounts.models import User
from broadsheet.comments.models import Comment
from broadsheet.moderation import pipeline, spam
from broadsheet.moderation.models import Sanction, Term
from broadsheet.moderation.pipeline import GUIDELINES_MESSAGE, Outcome, screen
from broadsheet.moderation.services import add_term, set_thresholds
from broadsheet.stories.models import Story

pytestmark = pytest.mark.django_db


def sanction(reader: User, kind: str, **fields: Any) -> Sanction:
    return Sanction.objects.create(
        reader=reader, kind=kind, starts_at=timezone.now() - timedelta(minutes=1), **fields
    )


def test_a_civil_comment_is_published_with_its_score(reader: User, story: Story) -> None:
    result = screen(author=reader, story=story, text="Is there a map of the six routes?")
    assert result.outcome == Outcome.PUBLISH
    assert result.reasons == []
    assert result.toxicity is not None
    assert result.toxicity < 0.5


# --- 1. sanctions ----------------------------------------------------------------------------


def test_a_banned_reader_is_refused(reader: User, story: Story) -> None:
    sanction(reader, Sanction.Kind.BAN)
    result = screen(author=reader, story=story, text="Hello")
    assert result.outcome == Outcome.REFUSE
    assert result.reasons == ["author banned"]
    assert "may no longer comment" in result.message


def test_a_suspended_reader_is_told_until_when(reader: User, story: Story) -> None:
    sanction(reader, Sanction.Kind.SUSPENSION, ends_at=timezone.now() + timedelta(days=3))
    result = screen(author=reader, story=story, text="Hello")
    assert result.outcome == Outcome.REFUSE
    assert "may not comment until" in result.message


def test_an_ended_or_lifted_suspension_no_longer_counts(reader: User, story: Story) -> None:
    sanction(reader, Sanction.Kind.SUSPENSION, ends_at=timezone.now() - timedelta(seconds=1))
    sanction(reader, Sanction.Kind.BAN, lifted_at=timezone.now())
    assert screen(author=reader, story=story, text="Hello").outcome == Outcome.PUBLISH


def test_an_always_premoderated_reader_waits(reader: User, story: Story) -> None:
    sanction(reader, Sanction.Kind.PREMODERATION)
    result = screen(author=reader, story=story, text="A perfectly civil remark.")
    assert result.outcome == Outcome.HOLD
    assert result.reasons == ["author pre-moderated"]


def test_a_warning_changes_nothing(reader: User, story: Story) -> None:
    sanction(reader, Sanction.Kind.WARNING)
    assert screen(author=reader, story=story, text="Hello").outcome == Outcome.PUBLISH


# --- 2 and 3. word lists --------------------------------------------------------------------


@pytest.fixture
def lists(moderator: User) -> None:
    add_term(moderator, "scumbag", Term.Kind.BANNED)
    add_term(moderator, "idiot", Term.Kind.SUSPECT)


def test_a_banned_word_refuses_without_naming_it(lists: None, reader: User, story: Story) -> None:
    result = screen(author=reader, story=story, text="The chair is a s c u m b @ g.")
    assert result.outcome == Outcome.REFUSE
    assert result.message == GUIDELINES_MESSAGE
    assert "scumbag" not in result.message
    assert result.reasons == ["banned words: scumbag"]  # kept for the desk, not shown


def test_a_suspect_word_holds(lists: None, reader: User, story: Story) -> None:
    result = screen(author=reader, story=story, text="Only an 1d1ot would vote for this.")
    assert result.outcome == Outcome.HOLD
    assert "suspect words: idiot" in result.reasons


def test_a_word_added_on_the_desk_applies_to_the_next_comment(
    moderator: User, reader: User, story: Story
) -> None:
    text = "The quagga is a menace."
    assert screen(author=reader, story=story, text=text).outcome == Outcome.PUBLISH
    add_term(moderator, "quagga", Term.Kind.SUSPECT)
    assert screen(author=reader, story=story, text=text).outcome == Outcome.HOLD


# --- 4. the model ---------------------------------------------------------------------------


def test_the_model_holds_an_insult_and_keeps_the_score(reader: User, story: Story) -> None:
    result = screen(author=reader, story=story, text="Shut up, you pathetic moron.")
    assert result.outcome == Outcome.HOLD
    assert any(reason.startswith("toxicity") for reason in result.reasons)
    assert result.toxicity is not None
    assert result.toxicity >= 0.7


@pytest.mark.parametrize(
    "text", ["The idiotic part is the bureaucracy.", "What a damn shame.", "Bloody hell, slow."]
)
def test_mild_words_about_things_are_published_with_a_high_score(
    reader: User, story: Story, text: str
) -> None:
    result = screen(author=reader, story=story, text=text)
    assert result.outcome == Outcome.PUBLISH
    assert result.toxicity is not None
    assert result.toxicity >= 0.7  # the desk still sees the model's view


def test_the_same_mild_words_aimed_at_a_person_are_held(reader: User, story: Story) -> None:
    result = screen(author=reader, story=story, text="You are so stupid it hurts.")
    assert result.outcome == Outcome.HOLD


def test_the_threshold_is_the_sites_own(reader: User, story: Story, moderator: User) -> None:
    text = "Go to hell, you and your bus fanatics."
    assert screen(author=reader, story=story, text=text).outcome == Outcome.HOLD
    set_thresholds(moderator, toxicity=0.99)
    assert screen(author=reader, story=story, text=text).outcome == Outcome.PUBLISH


def test_the_model_reads_evasions_normalised(reader: User, story: Story) -> None:
    result = screen(author=reader, story=story, text="you are a f u c k i n g m0r0n")
    assert result.outcome == Outcome.HOLD


# --- 5. spam --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "signal"),
    [
        ("I earn $5000 a week from home! http://easy-cash.biz", "earnings claim"),
        ("buy cheap viagra, no prescription http://spam.biz", "pills"),
        ("Online casino: 200 free spins, no deposit bonus at spin.bet", "gambling"),
        ("Bitcoin giveaway: send 0.1 BTC, get 0.2 BTC back", "crypto give-away"),
        ("Forex signals, WhatsApp me on +44 7700 900123", "phone number"),
        ("Contact me on Telegram @fastprofits for details", "messenger handle"),
        ("See a.com, b.net, c.org and d.biz for more", "link-heavy"),
    ],
)
def test_spam_is_held_with_its_signals(reader: User, story: Story, text: str, signal: str) -> None:
    result = screen(author=reader, story=story, text=text)
    assert result.outcome == Outcome.HOLD
    spam_reasons = [r for r in result.reasons if r.startswith("spam:")]
    assert spam_reasons
    assert signal in spam_reasons[0]


@pytest.mark.parametrize(
    "text",
    [
        "The casino licence vote got more coverage than this.",
        "I read the full report here: https://www.example.org/survey.pdf",
        "Crypto mining uses more electricity than the buses ever will.",
        "The vote was 31 to 12, on 12 March 2026.",
    ],
)
def test_one_weak_signal_is_not_spam(text: str) -> None:
    assert spam.signals(text).weight < 2


def test_the_same_text_on_another_story_is_held(
    reader: User, story: Story, other_story: Story, make_comment: Callable[..., Comment]
) -> None:
    text = "Read my analysis of every council vote this year, it explains everything."
    make_comment(text, on=other_story)
    result = screen(author=reader, story=story, text=text)
    assert result.outcome == Outcome.HOLD
    assert "spam: same text on 2 stories" in result.reasons
    # a short, ordinary remark may honestly repeat
    make_comment("Agreed.", on=other_story)
    assert screen(author=reader, story=story, text="Agreed.").outcome == Outcome.PUBLISH


# --- 6. story mode and new readers ----------------------------------------------------------


def test_a_premoderated_story_holds_every_comment(reader: User, story: Story) -> None:
    story.comment_mode = Story.CommentMode.PREMODERATED
    result = screen(author=reader, story=story, text="Lovely news.")
    assert result.outcome == Outcome.HOLD
    assert result.reasons == ["story pre-moderated"]


@override_settings(MODERATION_NEW_READER_COMMENTS=2)
def test_a_readers_first_comments_wait_when_configured(
    reader: User, story: Story, make_comment: Callable[..., Comment]
) -> None:
    assert screen(author=reader, story=story, text="Hi").reasons == ["new reader"]
    make_comment("one")
    assert screen(author=reader, story=story, text="Hi").reasons == ["new reader"]
    make_comment("two")
    assert screen(author=reader, story=story, text="Hi").outcome == Outcome.PUBLISH


def test_links_from_new_readers_wait(
    reader: User, story: Story, make_comment: Callable[..., Comment]
) -> None:
    text = "Source: https://www.example.org/report.pdf"
    assert screen(author=reader, story=story, text=text).reasons == ["link from a new reader"]
    make_comment("A first comment", status=Comment.Status.REJECTED)  # rejected: not counted
    make_comment("A second comment")
    assert screen(author=reader, story=story, text=text).reasons == ["link from a new reader"]
    make_comment("A third comment")
    assert screen(author=reader, story=story, text=text).outcome == Outcome.PUBLISH


@override_settings(MODERATION_NEW_READER_LINK_COMMENTS=0)
def test_the_link_rule_can_be_switched_off(reader: User, story: Story) -> None:
    text = "Source: https://www.example.org/report.pdf"
    assert screen(author=reader, story=story, text=text).outcome == Outcome.PUBLISH


# --- the order ------------------------------------------------------------------------------


def test_the_phases_run_in_the_documented_order() -> None:
    assert [phase.__name__ for phase in pipeline.PHASES] == [
        "sanctions",
        "banned_words",
        "suspect_words",
        "phrases",
        "model",
        "newsroom_model",
        "spam_signals",
        "duplicate",
        "story_mode",
        "new_reader",
    ]


def test_a_ban_wins_over_everything(lists: None, reader: User, story: Story) -> None:
    sanction(reader, Sanction.Kind.BAN)
    story.comment_mode = Story.CommentMode.PREMODERATED
    result = screen(author=reader, story=story, text="scumbag idiot http://spam.biz")
    assert result.reasons == ["author banned"]


def test_banned_words_refuse_before_anything_holds(lists: None, reader: User, story: Story) -> None:
    sanction(reader, Sanction.Kind.PREMODERATION)
    result = screen(author=reader, story=story, text="You scumbag idiot")
    assert result.outcome == Outcome.REFUSE
    assert result.reasons == ["banned words: scumbag"]


def test_every_reason_to_hold_is_kept_in_order(lists: None, reader: User, story: Story) -> None:
    sanction(reader, Sanction.Kind.PREMODERATION)
    story.comment_mode = Story.CommentMode.PREMODERATED
    text = "You idiot, I earn $5000 a week from home at http://cash.biz and http://cash.biz/more"
    reasons = screen(author=reader, story=story, text=text).reasons
    kinds = [reason.split(":")[0].split(" 0")[0] for reason in reasons]
    assert kinds == [
        "author pre-moderated",
        "suspect words",
        "toxicity",
        "spam",
        "story pre-moderated",
        "link from a new reader",
    ]


def test_editing_does_not_count_the_comment_itself_as_history(
    reader: User, story: Story, make_comment: Callable[..., Comment]
) -> None:
    with override_settings(MODERATION_NEW_READER_COMMENTS=1):
        first = make_comment("My first comment")
        assert screen(author=reader, story=story, text="edited", editing=first).reasons == [
            "new reader"
        ]
