"""Settings of the privacy app (readers' data rights), with their defaults."""

from datetime import timedelta
from pathlib import Path

from django.conf import settings


def export_dir() -> Path:
    """Where prepared data downloads are kept until their link expires."""
    configured = getattr(settings, "DATA_EXPORT_DIR", None)
    return Path(configured) if configured else Path(settings.VAR_DIR) / "exports"


def export_link_age() -> timedelta:
    """How long the link to a prepared download works; the file is removed after."""
    return timedelta(hours=getattr(settings, "DATA_EXPORT_HOURS", 48))


def email_change_age() -> timedelta:
    """How long the confirmation link sent to a new e-mail address works."""
    return timedelta(hours=getattr(settings, "EMAIL_CHANGE_HOURS", 24))


def not_me_age() -> timedelta:
    """How long the old address's "this wasn't me" link works."""
    return timedelta(days=getattr(settings, "EMAIL_CHANGE_UNDO_DAYS", 30))


def deletion_grace() -> timedelta:
    """How long a deletion waits, during which signing in cancels it."""
    return timedelta(days=getattr(settings, "ACCOUNT_DELETION_GRACE_DAYS", 14))
