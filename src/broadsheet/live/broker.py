"""The event broker: in-process by default; Redis pub/sub when several processes serve the site.

Only the interface is settled here: `publish(channel, event)`. Subscribers (the SSE
endpoints) are added with the live-updates work.
"""

import json
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings

logger = logging.getLogger(__name__)

Listener = Callable[[str, dict[str, Any]], None]
_listeners: list[Listener] = []


def listen(listener: Listener) -> None:
    _listeners.append(listener)


def publish(channel: str, event: dict[str, Any]) -> None:
    for listener in list(_listeners):
        listener(channel, event)
    if settings.REDIS_URL:
        _publish_redis(channel, event)


def _publish_redis(channel: str, event: dict[str, Any]) -> None:
    import redis

    try:
        client = redis.Redis.from_url(settings.REDIS_URL)
        client.publish(f"broadsheet:{channel}", json.dumps(event, default=str))
    except redis.RedisError:
        # A lost live update must never undo a committed write; readers catch up on reload.
        logger.warning("could not publish %s on %s", event.get("event"), channel, exc_info=True)
