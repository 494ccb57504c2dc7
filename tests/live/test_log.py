"""The shared event log: what a reconnecting reader gets back, and when it must reload."""

import asyncio
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from broadsheet.live import log as live_log
from broadsheet.live.log import Gap, RedisLog, SqliteLog


def _names(events: list[live_log.Event]) -> list[str]:
    return [e.name for e in events]


def _logs(tmp_path: Path) -> list[Any]:
    logs: list[Any] = [SqliteLog(tmp_path / "live.sqlite3")]
    if settings.REDIS_URL:
        logs.append(RedisLog(settings.REDIS_URL, f"test:live:{time.time_ns()}"))
    return logs


def test_replay_gives_a_channel_its_events_after_the_last_one_seen(tmp_path: Path) -> None:
    for log in _logs(tmp_path):
        first = log.append("story:1", "comment", {"id": 1})
        log.append("story:2", "comment", {"id": 2})
        log.append("story:1", "recommend", {"id": 1, "count": 1})
        log.append("user:7", "my-comment", {"id": 3})
        assert _names(log.since(["story:1"], first)) == ["recommend"]
        assert _names(log.since(["story:1", "user:7"], first)) == ["recommend", "my-comment"]
        assert log.since(["story:1"], log.head()) == []


def test_a_reader_behind_what_the_log_keeps_is_told_to_reload(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = SqliteLog(tmp_path / "live.sqlite3")
    seen = log.append("story:1", "comment", {"id": 1})
    # Events older than the retention are pruned as the log grows.
    monkeypatch.setattr(live_log, "RETENTION_SECONDS", -1)
    for n in range(200):
        log.append("story:9", "comment", {"id": n})
    with pytest.raises(Gap):
        log.since(["story:1"], seen)
    # A position the log never reached (the log was started anew) is a gap too.
    with pytest.raises(Gap):
        log.since(["story:1"], "999999")


@pytest.mark.redis
def test_redis_log_tells_a_reader_behind_its_trimmed_part_to_reload() -> None:
    log = RedisLog(settings.REDIS_URL, f"test:live:{time.time_ns()}")
    seen = log.append("story:1", "comment", {"id": 1})
    log.append("story:1", "comment", {"id": 2})  # trimmed before the reader came back
    later = log.append("story:1", "comment", {"id": 3})
    log._redis.xtrim(
        log.key, minid=later, approximate=False
    )  # what age-based trimming does to old entries
    with pytest.raises(Gap):
        log.since(["story:1"], seen)
    assert log.since(["story:1"], later) == []


def test_followers_wake_on_events_appended_by_another_connection(tmp_path: Path) -> None:
    for log in _logs(tmp_path):
        start = log.head()

        async def follow(log: Any = log, start: str = start) -> list[str]:
            waiting = asyncio.ensure_future(log.follow(start))
            await asyncio.sleep(0.2)
            await asyncio.to_thread(log.append, "story:5", "comment", {"id": 5})
            return _names(await asyncio.wait_for(waiting, 5))

        # In a thread of its own: the browser tests' event loop may be running in this one.
        with ThreadPoolExecutor(1) as pool:
            assert pool.submit(asyncio.run, follow()).result(30) == ["comment"]


def test_ids_sent_by_clients_are_checked(tmp_path: Path) -> None:
    sqlite = SqliteLog(tmp_path / "live.sqlite3")
    assert sqlite.parse_id("42") == "42"
    assert sqlite.parse_id("42-0") is None
    assert sqlite.parse_id("1" * 40) is None
    assert RedisLog.parse_id(None, "1700000000000-3") == "1700000000000-3"  # type: ignore[arg-type]
    assert RedisLog.parse_id(None, "abc") is None  # type: ignore[arg-type]
    assert RedisLog.parse_id(None, "12") is None  # type: ignore[arg-type]


def test_a_process_follows_the_log_once_however_many_readers_arrive_together(
    tmp_path: Path,
) -> None:
    from broadsheet.live.hub import Hub, Listener

    log = SqliteLog(tmp_path / "live.sqlite3")

    async def arrive_together() -> list[bytes]:
        hub = Hub(log)
        listener = Listener(["story:1"])
        hub.add(listener)
        for _ in range(5):  # five connections opening at the same moment
            hub.start()
        await asyncio.sleep(0.3)
        await asyncio.to_thread(log.append, "story:1", "comment", {"id": 1})
        await asyncio.sleep(0.5)
        received = []
        while not listener.queue.empty():
            item = listener.queue.get_nowait()
            if item and item[0]:
                received.append(item[1])
        return received

    with ThreadPoolExecutor(1) as pool:
        received = pool.submit(asyncio.run, arrive_together()).result(30)
    assert len(received) == 1


@pytest.mark.redis
def test_a_page_rendered_while_the_redis_log_was_empty_gets_everything_since() -> None:
    log = RedisLog(settings.REDIS_URL, f"test:live:{time.time_ns()}")
    start = log.head()
    assert start == "0-0"
    log.append("story:1", "comment", {"id": 1})
    assert _names(log.since(["story:1"], start)) == ["comment"]
