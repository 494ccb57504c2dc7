"""Settings of the stories app, with their defaults."""

from django.conf import settings


def close_comments_after_days() -> int | None:
    """The site default for closing a story's comments; None keeps them open."""
    return getattr(settings, "STORY_CLOSE_COMMENTS_AFTER_DAYS", None)


def search_config() -> str:
    """The PostgreSQL text search configuration (language) used to index and search stories."""
    return getattr(settings, "STORY_SEARCH_CONFIG", "english")


def site_url() -> str:
    """The site's public address, for canonical URLs, Open Graph tags and feeds."""
    return str(getattr(settings, "SITE_URL", "http://127.0.0.1:8000")).rstrip("/")


# Lines after an imported article that belong to the site it came from, not to the story.
DEFAULT_IMPORT_BOILERPLATE = [
    r"\bsubscription plan\b",
    r"\bcomment on (?:our |these |the )?stories\b",
    r"\bdisplay name in the profile section\b",
    r"\bsubscriber account page\b",
]


def import_boilerplate_patterns() -> list[str]:
    """Regular expressions (case-insensitive) for trailing site boilerplate lines."""
    return list(getattr(settings, "STORY_IMPORT_BOILERPLATE", DEFAULT_IMPORT_BOILERPLATE))
