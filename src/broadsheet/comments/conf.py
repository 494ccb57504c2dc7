"""Settings of the comments app, with their defaults."""

from django.conf import settings


def max_length() -> int:
    """The longest comment, in characters."""
    return int(getattr(settings, "COMMENT_MAX_LENGTH", 5000))


def edit_window_seconds() -> int:
    """How long an author may edit their comment after posting it."""
    return int(getattr(settings, "COMMENT_EDIT_WINDOW_MINUTES", 10)) * 60


def rate_limit_seconds() -> int:
    """The least time between two comments by one reader; 0 switches the limit off."""
    return int(getattr(settings, "COMMENT_RATE_LIMIT_SECONDS", 10))


def burst_per_hour() -> int:
    """The most comments one reader may post in an hour; 0 switches the limit off."""
    return int(getattr(settings, "COMMENT_BURST_PER_HOUR", 30))


def duplicate_window_seconds() -> int:
    """Within this time the same reader may not post the same text twice."""
    return int(getattr(settings, "COMMENT_DUPLICATE_WINDOW_MINUTES", 10)) * 60


def page_size() -> int:
    """Top-level comments per page of a thread."""
    return int(getattr(settings, "COMMENT_PAGE_SIZE", 20))


def replies_shown() -> int:
    """Replies shown under a top-level comment before "show N more replies"."""
    return int(getattr(settings, "COMMENT_REPLIES_SHOWN", 3))


def max_depth() -> int:
    """How deep replies nest; a reply to the deepest level stays at that level."""
    return 3


def cache_seconds() -> int:
    """How long a rendered thread page stays cached (its key changes with every write)."""
    return int(getattr(settings, "COMMENT_CACHE_SECONDS", 600))
