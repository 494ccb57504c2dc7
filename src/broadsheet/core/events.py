"""Events that others can see are published after the transaction commits, never inside it."""

from typing import Any

from django.db import transaction

from broadsheet.live import broker


def publish_on_commit(name: str, channel: str, **payload: Any) -> None:
    """Publish `name` (e.g. "comment.created") on `channel` once the current transaction commits."""
    event = {"event": name, **payload}
    transaction.on_commit(lambda: broker.publish(channel, event))
