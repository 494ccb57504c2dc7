"""Settings of the embed, with their defaults."""

from datetime import timedelta

from django.conf import settings


def secret_grace_period() -> timedelta:
    """How long a rotated signing secret keeps working, so the newsroom can deploy the new one."""
    return timedelta(hours=int(getattr(settings, "EMBED_SECRET_GRACE_HOURS", 48)))


def clock_skew() -> timedelta:
    """How far the newsroom's clock may be from ours when it signs a token."""
    return timedelta(seconds=int(getattr(settings, "EMBED_CLOCK_SKEW_SECONDS", 60)))


def token_max_lifetime() -> timedelta:
    """The longest a sign-in token may live (exp - iat): they are made for each page view."""
    return timedelta(minutes=int(getattr(settings, "EMBED_TOKEN_MAX_MINUTES", 15)))


def session_lifetime() -> timedelta:
    """How long the embed's own session token lasts (it lives only in the frame's memory)."""
    return timedelta(hours=int(getattr(settings, "EMBED_SESSION_HOURS", 4)))


def count_cache_seconds() -> int:
    """How long comment counts for the newsroom's front page may be cached."""
    return int(getattr(settings, "EMBED_COUNT_CACHE_SECONDS", 60))
