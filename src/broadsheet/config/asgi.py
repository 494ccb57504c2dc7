"""The ASGI entry point: live streams served asynchronously, every other request by Django.

Server-Sent Events hold a connection open for as long as a reader keeps the story open,
so they are served by coroutines (thousands per process). Every other request goes to
the same WSGI application as before, on a small thread pool per worker process (a2wsgi);
bench/serving_modes.py measures this against plain WSGI and Django's own ASGI handler.
"""

import os
from typing import Any

from a2wsgi import WSGIMiddleware

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.config.settings")

from broadsheet.config.wsgi import application as django_application
from broadsheet.live.server import LIVE_PREFIX, live_application

pages: Any = WSGIMiddleware(
    django_application,  # type: ignore[arg-type]
    workers=int(os.environ.get("THREADS", "4")),
)


async def application(scope: Any, receive: Any, send: Any) -> None:
    live = scope["type"] == "http" and scope["path"].startswith(LIVE_PREFIX)
    if live or scope["type"] == "lifespan":
        await live_application(scope, receive, send)
        return

    async def receive_coroutine() -> Any:
        # a2wsgi hands receive() to run_coroutine_threadsafe, which wants a coroutine;
        # granian's receive() returns another kind of awaitable.
        return await receive()

    await pages(scope, receive_coroutine, send)
