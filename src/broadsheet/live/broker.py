"""The event broker: services publish domain events after commit; listeners turn them into
what others see (the live streams' relay, and later notifications).

Listeners run in the process that made the change, right after its commit. Anything that
must reach other processes goes through the shared event log (live/log.py).
"""

from collections.abc import Callable
from typing import Any

Listener = Callable[[str, dict[str, Any]], None]
_listeners: list[Listener] = []


def listen(listener: Listener) -> None:
    if listener not in _listeners:
        _listeners.append(listener)


def publish(channel: str, event: dict[str, Any]) -> None:
    for listener in list(_listeners):
        listener(channel, event)
