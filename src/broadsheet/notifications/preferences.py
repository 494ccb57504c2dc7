"""A reader's notification settings, and which setting governs which e-mail."""

from django.utils.translation import gettext_lazy

from broadsheet.notifications.models import Mode, Notification, Preferences

# The setting that governs each kind of notification.
SETTING_FOR_KIND = {
    Notification.Kind.REPLY: "replies",
    Notification.Kind.FEATURED: "featured",
    Notification.Kind.THREAD: "followed",
    Notification.Kind.STORY: "followed",
}
ACTIVITY_SETTINGS = ("replies", "featured", "followed")
# What each one-click unsubscribe link turns off (see tokens.py).
TOPIC_LABELS = {
    "replies": gettext_lazy("replies to your comments"),
    "featured": gettext_lazy("your comments chosen as editors' picks"),
    "followed": gettext_lazy("new comments in discussions you follow"),
    "digest": gettext_lazy("the daily digest"),
    "account": gettext_lazy("receipts and notices about your subscription"),
}


def preferences_for(reader_id: int) -> Preferences:
    """The reader's settings; unsaved defaults when they never changed them."""
    found = Preferences.objects.filter(reader_id=reader_id).first()
    return found or Preferences(reader_id=reader_id)


def preferences_of(reader_ids: list[int]) -> dict[int, Preferences]:
    found = {p.reader_id: p for p in Preferences.objects.filter(reader_id__in=reader_ids)}
    return {pk: found.get(pk) or Preferences(reader_id=pk) for pk in reader_ids}


def mode_for(preferences: Preferences, kind: str) -> str:
    return str(getattr(preferences, SETTING_FOR_KIND[Notification.Kind(kind)]))


def email_wanted(preferences: Preferences, kind: str, mode: str) -> bool:
    """Whether the reader still wants this kind of notification e-mailed in `mode`."""
    return mode_for(preferences, kind) == mode


__all__ = ["Mode", "preferences_for", "preferences_of"]
