"""The shared cache: atomic across processes by default, and harmless while it is down."""

import subprocess
import sys
import time
from pathlib import Path

import pytest

from broadsheet.core.cache import CacheUnavailableError, DiskCache, RedisCache
from tests.servers import free_port

# Each process counts 200 attempts and claims 50 one-time slots, as workers do.
COUNTER = """
import sys
from broadsheet.core.cache import DiskCache
store = DiskCache(sys.argv[1], {})
sys.stdin.readline()  # start together
won = 0
for n in range(200):
    if not store.add("attempts", 1, 60):
        store.incr("attempts")
for n in range(50):
    won += bool(store.add(f"token:{n}", 1, 60))
print(won)
"""


def test_the_embedded_store_counts_exactly_across_processes(tmp_path: Path) -> None:
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", COUNTER, str(tmp_path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    for process in processes:
        assert process.stdin is not None
        process.stdin.write("go\n")
        process.stdin.flush()
    won = [int(process.communicate(timeout=120)[0]) for process in processes]

    store = DiskCache(str(tmp_path), {})
    assert store.get("attempts") == 600  # no increment lost
    assert sum(won) == 50  # each one-time slot claimed by exactly one process


def test_an_unreachable_redis_makes_reads_miss_and_refuses_limits_and_invalidations() -> None:
    store = RedisCache(f"redis://127.0.0.1:{free_port()}/0", {"OPTIONS": {"socket_timeout": 1}})

    assert store.get("page", "rebuilt from the database") == "rebuilt from the database"
    store.set("page", "<p>cached</p>")  # skipped, not an error
    with pytest.raises(CacheUnavailableError) as refused:
        store.add("comments:rate:1", 1, 10)
    assert refused.value.status == 503
    assert refused.value.code == "unavailable"
    with pytest.raises(CacheUnavailableError):
        store.incr("comments:burst:1")
    with pytest.raises(CacheUnavailableError):  # an invalidation that did not happen
        store.delete("moderation:thresholds")
    started = time.monotonic()
    for _ in range(100):  # while it is known to be down, nobody waits on it again
        store.get("page")
    assert time.monotonic() - started < 1
