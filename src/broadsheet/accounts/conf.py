"""Settings of the accounts app, with their defaults."""

from datetime import timedelta

from django.conf import settings

# Whole names nobody may take: they would pass for the site or its staff.
DEFAULT_RESERVED_NAMES = (
    "admin",
    "administrator",
    "anonymous",
    "deleted",
    "deleted user",
    "editor",
    "editors",
    "help",
    "moderator",
    "moderators",
    "newsroom",
    "null",
    "official",
    "a reader",
    "a former reader",
    "former reader",
    "reader",
    "root",
    "staff",
    "support",
    "system",
    "the editors",
    "undefined",
    "unknown",
    # Two-character names are allowed in Chinese and Japanese script, so their staff words
    # and stand-ins for "a reader" are reserved too.
    "ある読者",
    "読者",
    "匿名",
    "名無し",
    "削除済み",
    "编辑",
    "匿名用户",
    "读者",
)

# Words that may not appear anywhere in a name ("Admin Team", "Broadsheet Desk").
DEFAULT_RESERVED_WORDS = (
    "admin",
    "administrator",
    "moderator",
    "staff",
    "official",
    "sysop",
    "webmaster",
    # Chinese and Japanese: checked anywhere in a name, which has no spaces between words.
    "管理者",
    "管理人",
    "運営",
    "公式",
    "編集部",
    "編集長",
    "モデレーター",
    "スタッフ",
    "事務局",
    "管理员",
    "官方",
    "版主",
    "客服",
    "编辑部",
)

# Words refused in a name on top of the classifier, which misses some names of hate.
DEFAULT_OFFENSIVE_WORDS = (
    "cunt",
    "fag",
    "faggot",
    "fuck",
    "hitler",
    "kike",
    "nazi",
    "nigga",
    "nigger",
    "paki",
    "retard",
    "shit",
    "slut",
    "spic",
    "tranny",
    "whore",
)


def reserved_names() -> tuple[str, ...]:
    """Whole names nobody may take; the site's own name is always among them."""
    names = tuple(getattr(settings, "ACCOUNTS_RESERVED_NAMES", DEFAULT_RESERVED_NAMES))
    return (*names, settings.SITE_NAME)


def reserved_words() -> tuple[str, ...]:
    """Words no name may contain; the site's own name is always among them."""
    words = tuple(getattr(settings, "ACCOUNTS_RESERVED_WORDS", DEFAULT_RESERVED_WORDS))
    return (*words, settings.SITE_NAME)


def offensive_words() -> tuple[str, ...]:
    return tuple(getattr(settings, "ACCOUNTS_OFFENSIVE_WORDS", DEFAULT_OFFENSIVE_WORDS))


def offensive_threshold() -> float:
    """The classifier's probability from which a name counts as offensive."""
    return float(getattr(settings, "ACCOUNTS_OFFENSIVE_THRESHOLD", 0.8))


def display_name_change_interval() -> timedelta:
    """How long a reader waits between two changes of display name."""
    return timedelta(days=getattr(settings, "ACCOUNTS_DISPLAY_NAME_CHANGE_DAYS", 30))


def display_name_hold() -> timedelta:
    """How long a released name stays reserved for the reader who used it."""
    return timedelta(days=getattr(settings, "ACCOUNTS_DISPLAY_NAME_HOLD_DAYS", 90))


def verification_max_age() -> timedelta:
    """How long an e-mail verification link works."""
    return timedelta(hours=getattr(settings, "ACCOUNTS_VERIFICATION_HOURS", 72))


def verification_resend_interval() -> timedelta:
    """The least time between two verification e-mails to one reader."""
    return timedelta(seconds=getattr(settings, "ACCOUNTS_VERIFICATION_RESEND_SECONDS", 60))


def sign_ups_per_address_per_hour() -> int:
    """Accounts one network address may open in an hour."""
    return int(getattr(settings, "ACCOUNTS_SIGN_UPS_PER_HOUR", 10))


def emails_per_recipient_per_hour() -> int:
    """Account e-mails (reset links, notices) one address receives in an hour at most."""
    return int(getattr(settings, "ACCOUNTS_EMAILS_PER_HOUR", 5))
