"""The event log every worker process shares: live events are appended here and read back.

One ordered log for the whole site, kept for RETENTION_SECONDS: each process follows it
from its end (one reader per process, whatever its number of listeners) and a reader who
reconnects replays what they missed from it, by the id of the last event they had.

- Without Redis: a SQLite file under the var dir (WAL mode, so appends never wait for
  readers); followers poll it every POLL_SECONDS with one indexed query.
- With REDIS_URL: a Redis stream, trimmed by age; followers block on XREAD.
"""

import asyncio
import json
import sqlite3
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings

RETENTION_SECONDS = 600
POLL_SECONDS = 0.05


@dataclass(frozen=True)
class Event:
    id: str  # the log position: sent as the SSE id, comes back as Last-Event-ID
    channel: str  # "story:12", "user:7", "desk"
    name: str  # the SSE event name, e.g. "comment"
    data: str  # JSON text


class Gap(Exception):  # noqa: N818 - a reader's state, not a fault
    """Events after the reader's last one are no longer kept: the reader must reload."""


class EventLog(Protocol):
    def append(self, channel: str, name: str, data: Mapping[str, object]) -> str: ...

    def head(self) -> str:
        """The id of the newest event ("0" when the log is empty)."""
        ...

    def since(self, channels: Iterable[str], after: str) -> list[Event]:
        """The channels' events after `after`, oldest first; Gap if some were dropped."""
        ...

    async def follow(self, after: str) -> list[Event]:
        """Wait for and return the events after `after` (any channel), oldest first."""
        ...

    def parse_id(self, value: str) -> str | None:
        """A client-sent event id if it is one of ours, else None."""
        ...


def _json(data: Mapping[str, object]) -> str:
    return json.dumps(data, separators=(",", ":"), default=str)


class SqliteLog:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        path.parent.mkdir(parents=True, exist_ok=True)
        with sqlite3.connect(path) as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute(
                "CREATE TABLE IF NOT EXISTS event (id INTEGER PRIMARY KEY AUTOINCREMENT,"
                " channel TEXT NOT NULL, name TEXT NOT NULL, data TEXT NOT NULL,"
                " created REAL NOT NULL)"
            )
            db.execute("CREATE INDEX IF NOT EXISTS event_channel ON event (channel, id)")

    def _db(self) -> sqlite3.Connection:
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=20, isolation_level=None)
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("PRAGMA busy_timeout=20000")
            self._local.db = db
        return db

    def append(self, channel: str, name: str, data: Mapping[str, object]) -> str:
        db = self._db()
        now = time.time()
        cursor = db.execute(
            "INSERT INTO event (channel, name, data, created) VALUES (?, ?, ?, ?)",
            (channel, name, _json(data), now),
        )
        position = cursor.lastrowid or 0
        if position % 200 == 0:
            db.execute("DELETE FROM event WHERE created < ?", (now - RETENTION_SECONDS,))
        return str(position)

    def head(self) -> str:
        row = self._db().execute("SELECT MAX(id) FROM event").fetchone()
        return str(row[0] or 0)

    def since(self, channels: Iterable[str], after: str) -> list[Event]:
        db = self._db()
        position = int(after)
        oldest = db.execute("SELECT MIN(id) FROM event").fetchone()[0]
        newest = db.execute("SELECT seq FROM sqlite_sequence WHERE name = 'event'").fetchone()
        last = newest[0] if newest else 0
        if position > last or (position < last and (oldest is None or position + 1 < oldest)):
            raise Gap  # dropped after their age, or a log started anew
        wanted = list(channels)
        marks = ",".join("?" * len(wanted))
        rows = db.execute(
            f"SELECT id, channel, name, data FROM event WHERE id > ? AND channel IN ({marks})"  # noqa: S608 - only placeholders
            " ORDER BY id",
            (position, *wanted),
        ).fetchall()
        return [Event(str(r[0]), r[1], r[2], r[3]) for r in rows]

    def _after(self, after: str) -> list[Event]:
        rows = (
            self._db()
            .execute(
                "SELECT id, channel, name, data FROM event WHERE id > ? ORDER BY id LIMIT 1000",
                (int(after),),
            )
            .fetchall()
        )
        return [Event(str(r[0]), r[1], r[2], r[3]) for r in rows]

    async def follow(self, after: str) -> list[Event]:
        while True:
            events = await asyncio.to_thread(self._after, after)
            if events:
                return events
            await asyncio.sleep(POLL_SECONDS)

    def parse_id(self, value: str) -> str | None:
        value = value.strip()
        return value if value.isdigit() and len(value) < 19 else None


class RedisLog:
    def __init__(self, url: str, key: str) -> None:
        import redis
        import redis.asyncio

        self.key = key
        # A Redis that stops answering must not hang the page or the write that reads it.
        self._redis = redis.Redis.from_url(
            url, decode_responses=True, socket_connect_timeout=1, socket_timeout=2
        )
        self._async_url = url
        self._async: dict[int, redis.asyncio.Redis] = {}

    def _aio(self) -> Any:
        import redis.asyncio

        # One client per event loop: a worker's loop, or a test's.
        loop = id(asyncio.get_running_loop())
        if loop not in self._async:
            self._async[loop] = redis.asyncio.Redis.from_url(self._async_url, decode_responses=True)
        return self._async[loop]

    def append(self, channel: str, name: str, data: Mapping[str, object]) -> str:
        oldest = f"{int((time.time() - RETENTION_SECONDS) * 1000)}-0"
        position = self._redis.xadd(
            self.key,
            {"channel": channel, "name": name, "data": _json(data)},
            minid=oldest,
            approximate=True,
        )
        return str(position)

    def head(self) -> str:
        last = self._redis.xrevrange(self.key, count=1)
        return str(last[0][0]) if last else "0-0"

    def since(self, channels: Iterable[str], after: str) -> list[Event]:
        try:
            info = self._redis.xinfo_stream(self.key)
        except redis_errors().ResponseError:  # no stream: nothing was ever appended
            info = {"last-generated-id": "0-0"}
        last = str(info["last-generated-id"])
        if after == last:
            return []
        first = info.get("first-entry")
        # Entries older than the reader's last one may have been trimmed by age: if the log
        # no longer reaches back to it, the reader may have missed some.
        if after == "0-0":
            # The page was rendered while the log was empty: a gap only if some was trimmed.
            if int(info.get("entries-added", 0)) > int(info.get("length", 0)):
                raise Gap
        elif order(after) > order(last) or first is None or order(after) < order(first[0]):
            raise Gap
        wanted = set(channels)
        entries: Any = self._redis.xrange(self.key, min=f"({after}", max="+")
        return [
            Event(str(i), f["channel"], f["name"], f["data"])
            for i, f in entries
            if f["channel"] in wanted
        ]

    async def follow(self, after: str) -> list[Event]:
        client = self._aio()
        while True:
            found = await client.xread({self.key: after}, count=1000, block=5000)
            if found:
                return [Event(str(i), f["channel"], f["name"], f["data"]) for i, f in found[0][1]]

    def parse_id(self, value: str) -> str | None:
        ms, dash, seq = value.strip().partition("-")
        ok = dash and ms.isdigit() and seq.isdigit() and len(ms) < 16 and len(seq) < 10
        return f"{ms}-{seq}" if ok else None


def redis_errors() -> Any:
    import redis.exceptions

    return redis.exceptions


def order(position: str) -> tuple[int, ...]:
    """A log position as something comparable (SQLite: (n,); Redis: (ms, seq))."""
    return tuple(int(part) for part in position.split("-"))


@cache
def event_log() -> EventLog:
    if settings.REDIS_URL:
        prefix = settings.CACHES["default"].get("KEY_PREFIX", "broadsheet")
        return RedisLog(settings.REDIS_URL, f"{prefix}:live:events")
    return SqliteLog(Path(settings.LIVE_EVENT_LOG))
