"""Is this a working production configuration? Each check says in words what is wrong.

`manage.py check_production` runs them all (README, "Running in production"). A finding is
an error (the site is broken or unsafe as configured) or a warning (it works, but not as a
newsroom would want); each names what to change.
"""

import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.db.utils import DatabaseError
from django.tasks import task_backends
from django.utils import timezone
from django.utils.translation import gettext as _

ERROR, WARNING = "error", "warning"
# A task due for longer than this means no worker is taking tasks.
WORKER_SILENT_AFTER = timedelta(minutes=5)
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}
EXAMPLE_SECRETS = ("change-me", "django-insecure", "secret", "collectstatic-only")


@dataclass(frozen=True)
class Finding:
    level: str
    topic: str
    message: str


def _error(topic: str, message: str) -> Finding:
    return Finding(ERROR, topic, message)


def _warning(topic: str, message: str) -> Finding:
    return Finding(WARNING, topic, message)


def check_environment() -> list[Finding]:
    found = []
    if not settings.PRODUCTION:
        found.append(_error("environment", _(
            "BROADSHEET_ENV is not 'production': cookies are not Secure, HSTS is off and "
            "the demo data is allowed. Set BROADSHEET_ENV=production."
        )))  # fmt: skip
    if settings.DEBUG:
        found.append(_error("environment", _(
            "DEBUG is on: error pages show code and settings to anyone. Remove DEBUG."
        )))  # fmt: skip
    return found


def check_secret_key() -> list[Finding]:
    key = settings.SECRET_KEY or ""
    if any(key.lower().startswith(word) for word in EXAMPLE_SECRETS):
        return [_error("secret key", _(
            "SECRET_KEY is an example value: anyone who reads the example can forge sessions "
            "and sign-in links. Set 50 random characters, e.g. from "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
        ))]  # fmt: skip
    if len(key) < 50 or len(set(key)) < 5:
        return [_error("secret key", _(
            "SECRET_KEY is too weak (%(length)d characters, %(distinct)d different): use at "
            "least 50 random characters."
        ) % {"length": len(key), "distinct": len(set(key))})]  # fmt: skip
    return []


def check_hosts() -> list[Finding]:
    hosts = list(settings.ALLOWED_HOSTS)
    site = urlsplit(settings.SITE_URL)
    found = []
    if "*" in hosts:
        found.append(_error("hosts", _(
            "ALLOWED_HOSTS accepts any host ('*'): links in e-mail could be made to point "
            "elsewhere. List the site's own host names."
        )))  # fmt: skip
    elif not hosts or set(hosts) <= LOCAL_HOSTS:
        found.append(_error("hosts", _(
            "ALLOWED_HOSTS names no public host (%(hosts)s): readers would get 400 Bad "
            "Request. Set ALLOWED_HOSTS=news.example.com."
        ) % {"hosts": ", ".join(hosts) or _("empty")}))  # fmt: skip
    if site.hostname in LOCAL_HOSTS or not site.hostname:
        found.append(_error("hosts", _(
            "SITE_URL is %(url)s: links in e-mail and feeds would point at this machine. "
            "Set SITE_URL=https://news.example.com."
        ) % {"url": settings.SITE_URL}))  # fmt: skip
    else:
        if site.scheme != "https":
            found.append(_warning("hosts", _(
                "SITE_URL is not https (%(url)s): links in e-mail lead readers to plain HTTP."
            ) % {"url": settings.SITE_URL}))  # fmt: skip
        if "*" not in hosts and not _host_allowed(site.hostname, hosts):
            found.append(_error("hosts", _(
                "SITE_URL's host %(host)s is not in ALLOWED_HOSTS (%(hosts)s): the site "
                "would refuse its own address."
            ) % {"host": site.hostname, "hosts": ", ".join(hosts)}))  # fmt: skip
    return found


def _host_allowed(host: str, hosts: list[str]) -> bool:
    return any(host == h or (h.startswith(".") and host.endswith(h)) for h in hosts)


def check_email() -> list[Finding]:
    mailer = settings.MAILERS["default"]
    backend = mailer["BACKEND"].rsplit(".", 2)[-2]
    options = mailer.get("OPTIONS", {})
    found = []
    if "localhost" in settings.DEFAULT_FROM_EMAIL:
        found.append(_error("e-mail", _(
            "DEFAULT_FROM_EMAIL is %(sender)s: mail servers refuse or bin mail from "
            "localhost. Set DEFAULT_FROM_EMAIL='Newsroom <news@example.com>'."
        ) % {"sender": settings.DEFAULT_FROM_EMAIL}))  # fmt: skip
    if backend != "smtp":
        found.append(_error("e-mail", _(
            "E-mail is written to %(where)s, not sent: readers get no sign-up, password or "
            "reply e-mail. Set EMAIL_URL=smtp://user:password@host:587/?tls=true."
        ) % {"where": _("files") if backend == "filebased" else _("the console")}))  # fmt: skip
        return found
    host, port = options["host"], options.get("port") or (465 if options["use_ssl"] else 587)
    smtp = smtplib.SMTP_SSL if options["use_ssl"] else smtplib.SMTP
    try:
        with smtp(host, port, timeout=5) as server:
            server.noop()
    except (OSError, smtplib.SMTPException) as error:
        found.append(_error("e-mail", _(
            "The mail server %(host)s:%(port)s does not answer (%(error)s): no e-mail "
            "leaves the site."
        ) % {"host": host, "port": port, "error": error}))  # fmt: skip
    return found


def check_database() -> list[Finding]:
    found = []
    for alias in connections:
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute("SELECT 1")
        except DatabaseError as error:
            found.append(_error("database", _(
                "The database '%(alias)s' does not answer: %(error)s"
            ) % {"alias": alias, "error": str(error).strip()}))  # fmt: skip
    if not found and connections[DEFAULT_DB_ALIAS].vendor == "sqlite":
        found.append(_warning("database", _(
            "The database is SQLite: right for one machine; for several app servers set "
            "DATABASE_URL=postgres://…"
        )))  # fmt: skip
    return found


def check_redis() -> list[Finding]:
    if not settings.REDIS_URL:
        return [_warning("redis", _(
            "REDIS_URL is not set: the cache, limits and live events live in files under "
            "var/, which app servers on other machines cannot share."
        ))]  # fmt: skip
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        return [_error("redis", _(
            "Redis at %(url)s does not answer (%(error)s): comments, sign-ups and live "
            "updates stop."
        ) % {"url": _without_password(settings.REDIS_URL), "error": error})]  # fmt: skip
    finally:
        client.close()
    return []


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        parts = parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@"))
    return parts.geturl()


def check_migrations() -> list[Finding]:
    try:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError:
        return []  # check_database has said why
    if not plan:
        return []
    names = ", ".join(f"{m.app_label}.{m.name}" for m, _backwards in plan[:5])
    more = len(plan) - 5
    return [_error("migrations", _(
        "%(count)d migrations are not applied (%(names)s%(more)s): run "
        "`manage.py migrate` before starting the app servers."
    ) % {"count": len(plan), "names": names,
         "more": _(" and %(n)d more") % {"n": more} if more > 0 else ""})]  # fmt: skip


def check_static_files() -> list[Finding]:
    root = Path(settings.STATIC_ROOT)
    manifest = root / "staticfiles.json"
    backend = settings.STORAGES["staticfiles"]["BACKEND"]
    if "Manifest" in backend and not manifest.is_file():
        return [_error("static files", _(
            "No collected static files in %(root)s: pages would have no styles or "
            "scripts. Run `manage.py collectstatic`."
        ) % {"root": root})]  # fmt: skip
    if "Manifest" not in backend and not any(root.glob("*/*")):
        return [_error("static files", _(
            "No collected static files in %(root)s. Run `manage.py collectstatic`."
        ) % {"root": root})]  # fmt: skip
    if manifest.is_file():
        import json

        paths = json.loads(manifest.read_text()).get("paths", {})
        missing = [name for name in paths.values() if not (root / name).is_file()]
        if missing:
            return [_error("static files", _(
                "%(count)d collected static files are missing from %(root)s (%(first)s): run "
                "`manage.py collectstatic` again."
            ) % {"count": len(missing), "root": root, "first": missing[0]})]  # fmt: skip
    return []


def check_task_worker() -> list[Finding]:
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if not isinstance(task_backends["default"], DatabaseBackend):
        return [_warning("task worker", _(
            "Tasks run inside the request that makes them (TASKS_IMMEDIATE): pages wait "
            "for e-mail to be sent. Remove TASKS_IMMEDIATE and run `manage.py db_worker`."
        ))]  # fmt: skip
    silent_since = timezone.now() - WORKER_SILENT_AFTER
    try:
        # A worker takes a due task within seconds; one left waiting means none is running.
        waiting = DBTaskResult.objects.ready().filter(enqueued_at__lt=silent_since)
        count = waiting.count()
        oldest = waiting.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    except DatabaseError:
        return []  # check_database has said why
    if count:
        return [_error("task worker", _(
            "No task worker is running: %(count)d tasks have waited since %(since)s. Start "
            "`manage.py db_worker` (deploy/systemd/broadsheet-worker.service)."
        ) % {"count": count, "since": f"{oldest:%Y-%m-%d %H:%M} UTC"})]  # fmt: skip
    return []


CHECKS: list[Callable[[], list[Finding]]] = [
    check_environment,
    check_secret_key,
    check_hosts,
    check_email,
    check_database,
    check_redis,
    check_migrations,
    check_static_files,
    check_task_worker,
]


def run_checks() -> list[Finding]:
    return [finding for check in CHECKS for finding in check()]
