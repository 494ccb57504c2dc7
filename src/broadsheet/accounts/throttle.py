"""Counting attempts in the shared cache, so every worker process adds to the same count.

While the store is down, `allow` raises CacheUnavailableError (a 503) rather than guess.
"""

from django.core.cache import cache


def allow(scope: str, who: str, *, limit: int, seconds: int) -> bool:
    """Count one attempt by `who` at `scope`; False once `limit` attempts fall in the window."""
    key = f"accounts:throttle:{scope}:{who}"
    if cache.add(key, 1, seconds):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, seconds)
        return True
    return count <= limit
