"""Abuse limits kept in the shared cache (see broadsheet.core.cache), so they hold for the site.

`cache.add` and `cache.incr` are atomic across processes in both stores, so two requests
racing for the same slot on different workers cannot both win. While the store is down they
raise CacheUnavailableError (a 503): a comment is not posted unchecked.
"""

import contextlib
import time

from django.core.cache import cache
from django.utils.translation import gettext as _

from broadsheet.comments import conf
from broadsheet.core.exceptions import ServiceError

TOKEN_SECONDS = 24 * 3600


def _spacing_key(user_id: int) -> str:
    return f"comments:rate:{user_id}"


def _hour_key(user_id: int) -> str:
    return f"comments:burst:{user_id}:{int(time.time() // 3600)}"


def take_post_slot(user_id: int) -> None:
    """Count one comment against the reader's limits, or refuse it with 429."""
    spacing = conf.rate_limit_seconds()
    if spacing and not cache.add(_spacing_key(user_id), 1, timeout=spacing):
        raise ServiceError(
            _("You can post one comment every %(spacing)s seconds. Wait a moment and try again.")
            % {"spacing": spacing},
            code="rate_limited",
            status=429,
        )
    burst = conf.burst_per_hour()
    if not burst:
        return
    key = _hour_key(user_id)
    cache.add(key, 0, timeout=3600)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=3600)
        used = 1
    if used > burst:
        cache.decr(key)
        if spacing:
            cache.delete(_spacing_key(user_id))
        raise ServiceError(
            _(
                "You have posted %(burst)s comments in the last hour, the most we allow. Try again "
                "later."
            )
            % {"burst": burst},
            code="rate_limited",
            status=429,
        )


def give_back_post_slot(user_id: int) -> None:
    """Undo `take_post_slot` for a comment that was not stored after all."""
    if conf.rate_limit_seconds():
        cache.delete(_spacing_key(user_id))
    if conf.burst_per_hour():
        with contextlib.suppress(ValueError):
            cache.decr(_hour_key(user_id))


def _token_key(user_id: int, token: str) -> str:
    return f"comments:token:{user_id}:{token}"


def claim_token(user_id: int, token: str) -> bool:
    """True for the first request carrying this form token; False for any repeat."""
    return bool(cache.add(_token_key(user_id, token), 1, timeout=TOKEN_SECONDS))


def release_token(user_id: int, token: str) -> None:
    cache.delete(_token_key(user_id, token))
