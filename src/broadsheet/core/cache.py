"""The shared cache: an embedded store on disk by default, Redis when REDIS_URL is set.

Every worker process reads and writes the same store, so rate limits, form tokens, version
stamps and cached pages are the same for the whole site, not per process. Both backends
make `add`, `incr` and `decr` atomic across processes (SQLite transactions on disk, single
commands in Redis).

When the store fails (Redis stopped, a disk error), the site keeps working without it:
reads miss and `set` is skipped, so pages are built from the database, only slower. The
atomic operations that limits and one-time tokens depend on (add, incr, decr) and `delete`,
which invalidates what others may still read, raise `CacheUnavailableError` instead, so
that a write needing a limit is refused clearly rather than let through unchecked, and a
change whose invalidation cannot be recorded is not made. After a failure a process
leaves the store alone for a moment (`RETRY_SECONDS`), so that an outage costs one slow
call per second, not one per lookup.
"""

import logging
import sqlite3
import threading
import time
from typing import Any

import diskcache
from django.core.cache import cache
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.utils.translation import gettext as _

from broadsheet.core.exceptions import ServiceError

logger = logging.getLogger(__name__)

RETRY_SECONDS = 1.0
MISSING = object()


class CacheUnavailableError(ServiceError):
    """The shared store did not answer: a limit or a one-time token cannot be checked."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "This cannot be done for a moment: part of the site is restarting. "
                "Nothing was changed. Please try again in a minute."
            ),
            code="unavailable",
            status=503,
        )


class _Resilient:
    """Reads miss and writes are skipped while the store is down; add/incr/decr raise."""

    failures: tuple[type[BaseException], ...] = ()
    store = "cache"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Each process's own view of its connection, not shared state: it only decides
        # whether this process tries the store again yet.
        self._down_until = 0.0
        self._lock = threading.Lock()

    def _call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        if time.monotonic() < self._down_until:
            raise CacheUnavailableError
        try:
            return getattr(super(), name)(*args, **kwargs)
        except self.failures as error:
            with self._lock:
                if time.monotonic() >= self._down_until:
                    logger.warning("the %s failed: %r", self.store, error)
                self._down_until = time.monotonic() + RETRY_SECONDS
            raise CacheUnavailableError from error

    def _quiet(self, default: Any, name: str, *args: Any, **kwargs: Any) -> Any:
        try:
            return self._call(name, *args, **kwargs)
        except CacheUnavailableError:
            return default

    # Reads miss, writes are skipped: a page is built from the database instead.
    def get(self, key: Any, default: Any = None, version: Any = None) -> Any:
        return self._quiet(default, "get", key, default, version=version)

    def get_many(self, keys: Any, version: Any = None) -> Any:
        return self._quiet({}, "get_many", keys, version=version)

    def has_key(self, key: Any, version: Any = None) -> Any:
        return self._quiet(False, "has_key", key, version=version)

    def set(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> Any:
        return self._quiet(None, "set", key, value, timeout, version=version)

    def set_many(self, data: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> Any:
        return self._quiet(list(data), "set_many", data, timeout, version=version)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> Any:
        return self._quiet(False, "touch", key, timeout, version=version)

    def get_or_set(
        self, key: Any, default: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None
    ) -> Any:
        value = self.get(key, MISSING, version=version)
        if value is MISSING:
            value = default() if callable(default) else default
            self.set(key, value, timeout, version=version)
        return value

    # What limits, one-time tokens and invalidations stand on: an outage is an error.
    def add(self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: Any = None) -> Any:
        return self._call("add", key, value, timeout, version=version)

    def incr(self, key: Any, delta: int = 1, version: Any = None) -> Any:
        return self._call("incr", key, delta, version=version)

    def decr(self, key: Any, delta: int = 1, version: Any = None) -> Any:
        return self._call("incr", key, -delta, version=version)

    def delete(self, key: Any, version: Any = None) -> Any:
        return self._call("delete", key, version=version)

    def delete_many(self, keys: Any, version: Any = None) -> Any:
        return self._call("delete_many", keys, version=version)

    def clear(self) -> Any:
        return self._call("clear")

    def ping(self) -> None:
        """Raise CacheUnavailableError unless the store answers a read now."""
        self._down_until = 0.0  # a health check always asks the store itself
        self._call("get", "core:ping")


class RedisCache(_Resilient, DjangoRedisCache):
    """Django's Redis cache, kept from failing pages while Redis is down."""

    store = "Redis cache"

    def __init__(self, server: str, params: dict[str, Any]) -> None:
        import redis

        self.failures = (redis.RedisError,)
        super().__init__(server, params)


class DiskCache(_Resilient, diskcache.DjangoCache):
    """diskcache's Django cache: SQLite files under var/ that every worker process shares."""

    store = "embedded cache"
    failures = (sqlite3.Error, diskcache.Timeout, OSError)

    def close(self, **kwargs: Any) -> None:
        # Django closes caches after every request; reopening eight SQLite files each
        # time would cost a millisecond a request. Connections stay open per thread (and
        # diskcache reopens them in a forked process).
        pass


def ping() -> None:
    """Raise CacheUnavailableError unless the shared store answers now."""
    probe = getattr(cache, "ping", None)
    if probe is not None:
        probe()
    else:
        cache.get("core:ping")
