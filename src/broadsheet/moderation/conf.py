"""Settings of the moderation app, with their defaults."""

from django.conf import settings


def toxicity_threshold() -> float:
    """A model score at or above this holds the comment for review (0..1)."""
    return float(getattr(settings, "MODERATION_TOXICITY_THRESHOLD", 0.7))


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


def spam_threshold() -> int:
    """Spam signals are weighted; a comment at or above this weight is held."""
    return int(getattr(settings, "MODERATION_SPAM_THRESHOLD", 2))


def desk_page_size() -> int:
    return int(getattr(settings, "MODERATION_DESK_PAGE_SIZE", 25))
