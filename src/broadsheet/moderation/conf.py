"""Settings of the moderation app, with their defaults.

The thresholds of the automatic checks are the site's own (the `Thresholds` row, edited on
the desk); they are read through the shared cache, so every process sees a change at once.
"""

from dataclasses import asdict, dataclass
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.core.cache import cache

THRESHOLDS_KEY = "moderation:thresholds"
# A story as the evaluation and the newsroom comparison see one: open, standard strictness.
OPEN_STORY = SimpleNamespace(pk=None, comment_mode="open", moderation_strictness="standard")


@dataclass(frozen=True)
class Limits:
    """The thresholds that apply to one comment: the site's, moved by the story's strictness."""

    toxicity: float
    newsroom: float
    spam: int
    threats: str  # "hold" or "refuse"
    strict_margin: float
    strict: bool = False

    def for_story(self, story: Any) -> "Limits":
        if getattr(story, "moderation_strictness", "standard") != "strict":
            return self
        margin = self.strict_margin
        return Limits(
            toxicity=max(round(self.toxicity - margin, 4), 0.05),
            newsroom=max(round(self.newsroom - margin, 4), 0.05),
            spam=max(self.spam - 1, 1),
            threats=self.threats,
            strict_margin=margin,
            strict=True,
        )


def site_limits() -> Limits:
    """The site's thresholds (created with their defaults on first use)."""
    cached = cache.get(THRESHOLDS_KEY)
    if cached is not None:
        return Limits(**cached)
    from broadsheet.moderation.models import Thresholds

    row = Thresholds.objects.order_by("pk").first()
    if row is None:
        row = Thresholds(toxicity=float(getattr(settings, "MODERATION_TOXICITY_THRESHOLD", 0.7)))
    limits = Limits(
        toxicity=row.toxicity,
        newsroom=row.newsroom,
        spam=row.spam,
        threats=row.threats,
        strict_margin=row.strict_margin,
    )
    cache.set(THRESHOLDS_KEY, asdict(limits), timeout=None)
    return limits


def limits_changed() -> None:
    """Call after the thresholds change: every process reads them again."""
    cache.delete(THRESHOLDS_KEY)


def toxicity_threshold() -> float:
    """A model score at or above this holds the comment for review (0..1)."""
    return site_limits().toxicity


def mild_words() -> list[str]:
    """Words the model scores as profane that civil readers use about things, not people.

    A high score that comes only from these words holds the comment when it is aimed at
    someone ("you idiot"), not when it is about a policy ("what a damn shame").
    """
    return list(getattr(settings, "MODERATION_MILD_WORDS", DEFAULT_MILD_WORDS))


DEFAULT_MILD_WORDS = [
    "damn", "damned", "dammit", "hell", "crap", "crappy", "bloody", "stupid", "stupidity",
    "idiotic", "idiocy", "dumb", "silly", "ridiculous", "ludicrous", "absurd", "insane",
    "crazy", "mad", "sucks", "suck", "pathetic", "disgrace", "disgraceful", "shameful",
    "shame", "awful", "terrible", "rubbish", "nonsense", "garbage", "joke", "lousy",
    "screw", "screwed", "pissed", "kill", "killing", "killed", "die", "dying", "dead",
    "hate", "hated", "attack", "attacked", "fight", "fighting", "war", "gun", "guns",
    "drunk", "sex", "sexual", "naked", "bomb", "bombs", "blood", "murder", "poor",
]  # fmt: skip


def report_threshold() -> int:
    """At this many open reports a published comment is hidden until a moderator decides."""
    return int(getattr(settings, "MODERATION_REPORT_THRESHOLD", 3))


def new_reader_comments() -> int:
    """A reader's first N comments wait for review (0 switches the rule off)."""
    return int(getattr(settings, "MODERATION_NEW_READER_COMMENTS", 0))


def new_reader_link_comments() -> int:
    """Until a reader has this many published comments, a comment with a link waits.

    Spam accounts post a link in their first comment; two published comments are cheap
    for a real reader and expensive for a spammer.
    """
    return int(getattr(settings, "MODERATION_NEW_READER_LINK_COMMENTS", 2))


def duplicate_window_days() -> int:
    """The same text by the same reader on another story within this many days is held."""
    return int(getattr(settings, "MODERATION_DUPLICATE_WINDOW_DAYS", 7))


def duplicate_min_length() -> int:
    """Shorter texts ("Agreed.", "Thank you") may honestly repeat; they are not compared."""
    return int(getattr(settings, "MODERATION_DUPLICATE_MIN_LENGTH", 25))


def newsroom_min_decisions() -> int:
    """The newsroom model is trained only once the desk has made this many decisions."""
    return int(getattr(settings, "MODERATION_NEWSROOM_MIN_DECISIONS", 40))


def desk_page_size() -> int:
    return int(getattr(settings, "MODERATION_DESK_PAGE_SIZE", 25))


def undo_seconds() -> int:
    """How long the desk offers "Undo" after a decision."""
    return int(getattr(settings, "MODERATION_UNDO_SECONDS", 10))


def undo_grace_seconds() -> int:
    """How long after a decision the server still accepts its undo: the offer's time plus
    room for a slow connection."""
    return undo_seconds() + 20
