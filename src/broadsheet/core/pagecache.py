"""Whole pages for visitors, from the shared cache, and HTTP caching for everyone.

A visitor (not signed in, nothing waiting in their session) sees exactly what every other
visitor sees, so such a page is rendered once per version of what it shows and then
served from the shared store byte for byte, with its CSP nonce, an ETag (a repeat visit
answers 304) and a `Cache-Control` that lets a reverse proxy or CDN serve it too.

A cached page must hold nothing of one reader: the shared render refuses to be stored if
it asked for a CSRF token or touched the session, and the templates leave out their
per-reader parts while `shared_page` is set (see base.html).

The key carries the versions the page depends on (a story's `updated_at` and
`comment_version`; for lists, the newest `updated_at` of any story): a change makes a new
key, so nothing has to be found and deleted. What a version cannot see (a scheduled story
coming due, comments closing by age) is covered by `valid_until`; what changes rarely and
is not stamped (the sections in the masthead, an author's name in a byline) by the
entry's lifetime. A change that every page shows (the plans the gate names) moves one
site-wide stamp that every key carries (`site_changed`).
"""

import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.csp import CSP, build_policy
from django.utils.http import http_date
from django.utils.translation import get_language

# Bump when a template change must not be served from entries made before it.
LAYOUT_VERSION = "1"


def lifetime() -> int:
    """Seconds an entry lives. Under the live log's 10 minutes (with the proxy's max-age and
    stale-while-revalidate on top), so a cached page's live stream can always resume."""
    return int(getattr(settings, "PAGE_CACHE_SECONDS", 300))


def max_age() -> int:
    """Seconds a proxy or browser may reuse a visitor page without asking."""
    return int(getattr(settings, "PAGE_MAX_AGE", 10))


def stale_while_revalidate() -> int:
    return int(getattr(settings, "PAGE_STALE_WHILE_REVALIDATE", 60))


@dataclass(frozen=True)
class Entry:
    body: bytes
    etag: str
    nonce: str
    content_type: str
    rendered_at: float
    valid_until: float | None = None


def is_visitor(request: HttpRequest) -> bool:
    """True when the page for `request` is the same as for any visitor.

    Signed-in readers, and visitors with a message waiting (in its cookie or their
    session), see pages of their own.
    """
    if "messages" in request.COOKIES:
        return False
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        return False
    session = getattr(request, "session", None)
    return not (session is not None and session.session_key and "_messages" in session)


SITE_STAMP_KEY = "pages:site-stamp"


def site_changed() -> None:
    """Something every page shows changed (the plans the gate names): new keys for all."""
    try:
        cache.incr(SITE_STAMP_KEY)
    except ValueError:  # no stamp yet
        cache.add(SITE_STAMP_KEY, time.time_ns(), timeout=None)


def _key(request: HttpRequest, parts: tuple[object, ...]) -> str:
    stamp = str(cache.get(SITE_STAMP_KEY, 0))
    raw = "|".join(
        [LAYOUT_VERSION, stamp, get_language() or "", request.get_full_path(), *map(str, parts)]
    )
    return "pages:v1:" + hashlib.blake2b(raw.encode(), digest_size=16).hexdigest()


def _serve(request: HttpRequest, entry: Entry) -> HttpResponse:
    response = HttpResponse(entry.body, content_type=entry.content_type)
    response["ETag"] = entry.etag
    response["Last-Modified"] = http_date(entry.rendered_at)
    # The nonce the stored body carries, so its scripts run.
    response[str(CSP.HEADER_ENFORCE)] = build_policy(settings.SECURE_CSP, entry.nonce)  # type: ignore[arg-type]
    patch_cache_control(
        response,
        public=True,
        max_age=max_age(),
        stale_while_revalidate=stale_while_revalidate(),
    )
    patch_vary_headers(response, ["Cookie"])
    response["X-Page-Cache"] = "hit"
    return get_conditional_response(request, etag=entry.etag, response=response) or response


def private(response: HttpResponse) -> HttpResponse:
    """A page with one reader's parts in it: never stored by a proxy."""
    patch_cache_control(response, private=True, no_cache=True)
    return response


def shared(
    request: HttpRequest,
    parts: tuple[object, ...],
    render: Callable[[], HttpResponse],
    *,
    valid_until: Callable[[], datetime | None] | None = None,
    query_keys: frozenset[str] = frozenset(),
    seconds: int | None = None,
) -> HttpResponse:
    """The visitor page for `request` whose content depends on `parts`; `render` builds it
    on a miss (with `shared_page` in its context). Signed-in readers get `render`'s own
    page, marked private."""
    if request.method not in ("GET", "HEAD") or not is_visitor(request):
        return private(render())
    if not set(request.GET) <= query_keys:
        return render()  # an address nobody links to: served, not stored
    key = _key(request, parts)
    entry: Any = cache.get(key)
    if isinstance(entry, Entry) and (entry.valid_until is None or entry.valid_until > time.time()):
        return _serve(request, entry)
    response = render()
    if response.status_code != 200 or response.streaming:
        return response
    lazy_nonce = getattr(request, "_csp_nonce", None)  # unused until asked: str() makes it
    nonce = str(lazy_nonce) if lazy_nonce is not None else ""
    per_reader = (
        request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        or getattr(getattr(request, "session", None), "modified", False)
        or response.cookies
        or not nonce
    )
    if per_reader:
        # Something of this visitor went into the page: it is theirs alone.
        return private(response)
    body = response.content
    until = valid_until() if valid_until else None
    entry = Entry(
        body=body,
        etag='"' + hashlib.blake2b(body, digest_size=12).hexdigest() + '"',
        nonce=nonce,
        content_type=response["Content-Type"],
        rendered_at=time.time(),
        valid_until=until.timestamp() if until else None,
    )
    timeout = seconds or lifetime()
    if until is not None:
        timeout = max(1, min(timeout, int(until.timestamp() - time.time()) + 1))
    cache.set(key, entry, timeout=timeout)
    served = _serve(request, entry)
    served["X-Page-Cache"] = "miss"
    return served
