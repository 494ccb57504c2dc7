"""What /healthz reports: each service the site depends on, and whether it answers now."""

from typing import Any

from django.conf import settings
from django.db import connection
from django.db.utils import DatabaseError
from django.tasks import task_backends

from broadsheet.core import cache


def _database() -> dict[str, Any]:
    report: dict[str, Any] = {"engine": connection.vendor}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return {"status": "unavailable", **report, "reason": f"database unreachable: {error}"}
    return {"status": "ok", **report}


def _cache() -> dict[str, Any]:
    report: dict[str, Any] = {"store": "redis" if settings.REDIS_URL else "embedded"}
    try:
        cache.ping()
    except cache.CacheUnavailableError as error:
        cause = error.__cause__ or "not answering"
        return {"status": "unavailable", **report, "reason": f"cache unreachable: {cause}"}
    return {"status": "ok", **report}


def _tasks() -> dict[str, Any]:
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    backend = task_backends["default"]
    if not isinstance(backend, DatabaseBackend):  # e.g. development: tasks run at once
        return {"status": "ok", "queue": type(backend).__name__}

    try:
        waiting = DBTaskResult.objects.ready().count()
    except DatabaseError as error:
        reason = f"queue unreachable: {error}"
        return {"status": "unavailable", "queue": "database", "reason": reason}
    return {"status": "ok", "queue": "database", "waiting": waiting}


def check() -> tuple[bool, dict[str, Any]]:
    """(healthy, report): healthy while every dependency answers."""
    report = {"database": _database(), "cache": _cache(), "tasks": _tasks()}
    healthy = all(part["status"] == "ok" for part in report.values())
    return healthy, {"status": "ok" if healthy else "unavailable", **report}
