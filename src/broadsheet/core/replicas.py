"""Read replicas: reads that may be a little stale go to a PostgreSQL streaming replica.

With DATABASE_REPLICA_URLS set, the views marked `@stale_reads_ok` (story pages, visitors'
thread pages, feeds, search) read stories and comments from a replica; every other read,
every write, sessions, sign-in and the desk use the primary. A reader who has just written
(any successful POST, PUT, PATCH or DELETE) reads from the primary for READ_YOUR_WRITES_SECONDS:
the `ryw` cookie carries the moment, so it holds on every app server and worker.
"""

import random
import time
from collections.abc import Callable
from contextvars import ContextVar
from functools import wraps
from types import FunctionType
from typing import Any

from django.conf import settings
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

PRIMARY = "default"
COOKIE = "ryw"
# Only these apps' tables are read from a replica: sessions, accounts' sign-in state, limits
# and the moderation desk always come from the primary.
STALE_TOLERANT_APPS = {"stories", "comments"}
_replica: ContextVar[str | None] = ContextVar("broadsheet_replica", default=None)


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith("replica")]


def wrote_recently(request: HttpRequest) -> bool:
    try:
        written = float(request.COOKIES.get(COOKIE, ""))
    except ValueError:
        return False
    return 0 <= time.time() - written < settings.READ_YOUR_WRITES_SECONDS


def stale_reads_ok(
    view: Callable[..., HttpResponse], *, visitors_only: bool = False
) -> Callable[..., HttpResponse]:
    """Mark a view whose stories and comments may come from a replica, a few seconds behind.

    `visitors_only`: signed-in readers read from the primary (their page shows their own
    state). A reader who wrote in the last few seconds always does."""

    if not isinstance(view, FunctionType):  # a Feed instance: keep its attributes reachable
        view = _as_function(view)

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        aliases = replica_aliases()
        if not aliases or request.method not in {"GET", "HEAD"} or wrote_recently(request):
            return view(request, *args, **kwargs)
        if visitors_only and request.user.is_authenticated:
            return view(request, *args, **kwargs)
        token = _replica.set(random.choice(aliases))  # noqa: S311 - spreading load, not secrecy
        try:
            return view(request, *args, **kwargs)
        finally:
            _replica.reset(token)

    return wrapped


def _as_function(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    def call(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return view(request, *args, **kwargs)

    return call


class ReplicaRouter:
    """Reads of stories and comments inside a `stale_reads_ok` view go to its replica."""

    def db_for_read(self, model: type[Model], **hints: Any) -> str:
        replica = _replica.get()
        if replica and model._meta.app_label in STALE_TOLERANT_APPS:
            return replica
        return PRIMARY

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        return PRIMARY

    def allow_relation(self, obj1: Model, obj2: Model, **hints: Any) -> bool:
        return True  # the replicas hold the primary's very rows

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == PRIMARY


class ReadYourWritesMiddleware:
    """After a successful write, the writer reads from the primary for a few seconds."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method not in {"GET", "HEAD", "OPTIONS"} and response.status_code < 400:
            response.set_cookie(
                COOKIE,
                f"{time.time():.3f}",
                max_age=settings.READ_YOUR_WRITES_SECONDS,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
