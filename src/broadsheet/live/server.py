"""The Server-Sent Events endpoints, served by coroutines (see config/asgi.py).

    GET /live/stories/<id>/   a published story's public events: the same for everyone,
                              so a proxy may fan it out; no reader's data in it
    GET /live/me/             the signed-in reader's own events (their comments in review,
                              notifications) and, for moderators, the desk's queue counts

A reconnecting browser sends Last-Event-ID (or ?since= on the first connection, the log
position the page was rendered at) and gets every event it missed, or `reload` when the
log no longer has them.
"""

import asyncio
import contextlib
import json
import logging
from collections.abc import Awaitable, Callable
from http.cookies import CookieError, SimpleCookie
from typing import Any
from urllib.parse import parse_qs, urlsplit

from asgiref.sync import sync_to_async
from django.conf import settings
from django.http.request import validate_host

from broadsheet.live import access
from broadsheet.live.hub import Hub, Listener, frame
from broadsheet.live.log import Event, Gap, event_log, order

logger = logging.getLogger(__name__)

LIVE_PREFIX = "/live/"
RETRY_MS = 2000

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]

_hub: Hub | None = None


def hub() -> Hub:
    global _hub
    if _hub is None:
        _hub = Hub(event_log())
    return _hub


async def live_application(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "lifespan":
        await _lifespan(receive, send)
        return
    if not scope["path"].startswith(LIVE_PREFIX):
        await _refuse(send, 404, "not_found", "There is no live stream here.", scope)
        return
    if scope["path"] == LIVE_PREFIX:
        # The live server's own health: it answers, and how many streams it holds.
        body = json.dumps({"status": "ok", "connections": hub().connections}).encode()
        await _respond(send, 200, body, [(b"content-type", b"application/json")])
        return
    if scope["method"] == "OPTIONS":
        await _respond(send, 204, b"", _cors(scope))
        return
    if scope["method"] not in {"GET", "HEAD"}:
        await _refuse(send, 405, "method_not_allowed", "Live streams are read with GET.", scope)
        return
    try:
        channels = await _channels(scope)
    except Exception:
        logger.warning("live: cannot check %s", scope["path"], exc_info=True)
        await _refuse(send, 503, "unavailable", "Live updates are paused; try again.", scope)
        return
    if channels is None:
        await _refuse(send, 404, "not_found", "There is no live stream here.", scope)
        return
    if not channels:
        await _refuse(send, 401, "sign_in_required", "Sign in to follow your own updates.", scope)
        return
    await _stream(scope, receive, send, channels)


async def _lifespan(receive: Receive, send: Send) -> None:
    while True:
        message = await receive()
        if message["type"] == "lifespan.startup":
            await send({"type": "lifespan.startup.complete"})
        elif message["type"] == "lifespan.shutdown":
            await send({"type": "lifespan.shutdown.complete"})
            return


async def _channels(scope: Scope) -> list[str] | None:
    """The channels this request may follow; None for no such stream, [] for signed out."""
    parts = scope["path"][len(LIVE_PREFIX) :].strip("/").split("/")
    if len(parts) == 2 and parts[0] == "stories" and parts[1].isdigit() and len(parts[1]) < 19:
        found = await sync_to_async(access.story_is_public, thread_sensitive=False)(int(parts[1]))
        return [f"story:{parts[1]}"] if found else None
    if parts == ["me"]:
        cookies: SimpleCookie = SimpleCookie()
        with contextlib.suppress(CookieError):
            cookies.load(_header(scope, b"cookie"))
        morsel = cookies.get(settings.SESSION_COOKIE_NAME)
        if morsel is None:
            return []
        return await sync_to_async(access.reader_channels, thread_sensitive=False)(morsel.value)
    return None


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope["headers"]:
        if key == name:
            return str(value.decode("latin-1"))
    return ""


def _resume_from(scope: Scope) -> str | None:
    log = event_log()
    sent = _header(scope, b"last-event-id")
    if not sent:
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        sent = (query.get("since") or [""])[0]
    return log.parse_id(sent) if sent else None


def _cors(scope: Scope) -> list[tuple[bytes, bytes]]:
    """Pages on one of the site's own hosts may read the streams, with the reader's cookie.

    Behind a reverse proxy the streams share the pages' address; without one (make serve)
    they are on another port, which browsers count as another origin.
    """
    origin = _header(scope, b"origin")
    if not origin or not validate_host(urlsplit(origin).hostname or "", settings.ALLOWED_HOSTS):
        return [(b"vary", b"origin")]
    return [
        (b"access-control-allow-origin", origin.encode("latin-1")),
        (b"access-control-allow-credentials", b"true"),
        (b"access-control-allow-headers", b"last-event-id"),
        (b"vary", b"origin"),
    ]


async def _respond(
    send: Send, status: int, body: bytes, headers: list[tuple[bytes, bytes]]
) -> None:
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _refuse(send: Send, status: int, code: str, detail: str, scope: Scope) -> None:
    body = json.dumps({"detail": detail, "code": code}).encode()
    headers = [(b"content-type", b"application/json"), (b"cache-control", b"no-store")]
    await _respond(send, status, body, headers + _cors(scope))


async def _stream(scope: Scope, receive: Receive, send: Send, channels: list[str]) -> None:
    live = hub()
    live.start()
    listener = Listener(channels)
    live.add(listener)  # before the replay, so nothing falls between the two
    private = channels[0].startswith("user:")
    try:
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"text/event-stream; charset=utf-8"),
                    (b"cache-control", b"private, no-store" if private else b"no-cache"),
                    (b"x-accel-buffering", b"no"),
                    *_cors(scope),
                ],
            }
        )
        if scope["method"] == "HEAD":
            await send({"type": "http.response.body", "body": b""})
            return
        await send(_chunk(f"retry: {RETRY_MS}\n\n".encode()))
        last = await _replay(scope, send, channels)
        # One task relays, one waits for the reader to leave; whichever ends first ends both.
        relay = asyncio.ensure_future(_relay(send, listener, last))
        watcher = asyncio.ensure_future(_until_disconnected(receive))
        try:
            await asyncio.wait({relay, watcher}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            relay.cancel()
            watcher.cancel()
    except OSError:
        pass  # the reader went away
    finally:
        live.remove(listener)


async def _replay(scope: Scope, send: Send, channels: list[str]) -> tuple[int, ...]:
    """Send what the reader missed; the position of the last event they now have."""
    after = _resume_from(scope)
    if after is None:
        return ()
    try:
        missed: list[Event] = await asyncio.to_thread(event_log().since, channels, after)
    except Gap:
        await send(_chunk(b"event: reload\ndata: {}\n\n"))
        return ()
    for event in missed:
        await send(_chunk(frame(event)))
    return order(missed[-1].id if missed else after)


async def _relay(send: Send, listener: Listener, last: tuple[int, ...]) -> None:
    while True:
        item = await listener.queue.get()
        if item is None:
            return  # dropped by the hub as too slow: the browser reconnects and replays
        event_id, data = item
        if last and event_id and order(event_id) <= last:
            continue  # already sent in the replay
        try:
            await send(_chunk(data))
        except Exception:  # the server says the reader has gone, in its own way
            return


async def _until_disconnected(receive: Receive) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass


def _chunk(data: bytes) -> dict[str, Any]:
    return {"type": "http.response.body", "body": data, "more_body": True}
