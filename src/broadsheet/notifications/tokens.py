"""Signed one-click unsubscribe tokens: they work signed out and never expire.

A token names the reader and the topic it turns off (see preferences.TOPIC_LABELS);
nothing else, so a leaked link can do no more than stop some e-mail.
"""

from dataclasses import dataclass

from django.core import signing

SALT = "broadsheet.notifications.unsubscribe"


@dataclass(frozen=True)
class Unsubscribe:
    reader_id: int
    topic: str


def make_token(reader_id: int, topic: str) -> str:
    return signing.dumps({"r": reader_id, "t": topic}, salt=SALT, compress=True)


def read_token(token: str) -> Unsubscribe | None:
    """The request in a token, or None if it is not one we signed."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    reader_id, topic = data.get("r"), data.get("t")
    if not isinstance(reader_id, int) or not isinstance(topic, str):
        return None
    return Unsubscribe(reader_id, topic)
