"""One process's fan-out: it follows the shared event log once and hands each event to
every connection of this process that listens on the event's channel.

An event is encoded as an SSE frame once, however many readers receive it. A reader whose
queue is full (a stalled connection) is dropped; its browser reconnects and replays what
it missed from the log by its Last-Event-ID.
"""

import asyncio
import logging
from collections import defaultdict
from collections.abc import Iterable

from broadsheet.live.log import Event, EventLog

logger = logging.getLogger(__name__)

QUEUE_SIZE = 256
HEARTBEAT_SECONDS = 20.0
HEARTBEAT = b": still here\n\n"  # keeps proxies from closing a quiet stream


def frame(event: Event) -> bytes:
    return f"id: {event.id}\nevent: {event.name}\ndata: {event.data}\n\n".encode()


class Listener:
    def __init__(self, channels: Iterable[str]) -> None:
        self.channels = tuple(channels)
        self.queue: asyncio.Queue[tuple[str, bytes] | None] = asyncio.Queue(QUEUE_SIZE)

    def offer(self, event_id: str, data: bytes) -> bool:
        try:
            self.queue.put_nowait((event_id, data))
        except asyncio.QueueFull:
            return False
        return True

    def close(self) -> None:
        """End this connection: what is queued is dropped, the browser reconnects and replays."""
        while not self.queue.empty():
            self.queue.get_nowait()
        self.queue.put_nowait(None)


class Hub:
    def __init__(self, log: EventLog) -> None:
        self.log = log
        self.listeners: dict[str, set[Listener]] = defaultdict(set)
        self.position: str | None = None
        self._task: asyncio.Task[None] | None = None
        self._heartbeat: asyncio.Task[None] | None = None

    @property
    def connections(self) -> int:
        return len({listener for group in self.listeners.values() for listener in group})

    def start(self) -> None:
        """Follow the log, once per process (however many connections ask at once)."""
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="live-hub")
            self._heartbeat = asyncio.create_task(self._beat(), name="live-heartbeat")

    def add(self, listener: Listener) -> None:
        for channel in listener.channels:
            self.listeners[channel].add(listener)

    def remove(self, listener: Listener) -> None:
        for channel in listener.channels:
            group = self.listeners.get(channel)
            if group is not None:
                group.discard(listener)
                if not group:
                    del self.listeners[channel]

    async def _run(self) -> None:
        self.position = await asyncio.to_thread(self.log.head)
        while True:
            try:
                assert self.position is not None
                events = await self.log.follow(self.position)
            except asyncio.CancelledError:
                raise
            except Exception:
                # The store is away (Redis restarting, say): try again shortly. Readers
                # keep their connections; what they miss meanwhile comes from the log.
                logger.warning("live: cannot read the event log", exc_info=True)
                await asyncio.sleep(1)
                continue
            for event in events:
                self.dispatch(event)
                self.position = event.id

    async def _beat(self) -> None:
        while True:
            await asyncio.sleep(HEARTBEAT_SECONDS)
            for listener in {one for group in self.listeners.values() for one in group}:
                listener.offer("", HEARTBEAT)

    def dispatch(self, event: Event) -> None:
        group = self.listeners.get(event.channel)
        if not group:
            return
        data = frame(event)
        for listener in list(group):
            if not listener.offer(event.id, data):
                self.remove(listener)
                listener.close()
