"""`manage.py check_production`: each way a production configuration goes wrong, in words."""

import io
import json
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from broadsheet.config.mail import mailer_from_url
from broadsheet.core import production
from tests.notifications.smtp import smtp_server  # noqa: F401 - a fixture
from tests.servers import RedisServer, free_port

pytestmark = pytest.mark.django_db

GOOD_KEY = secrets.token_urlsafe(50)


@pytest.fixture
def good(settings: Any, smtp_server: Any, tmp_path: Path) -> Any:  # noqa: F811
    """A production configuration with nothing wrong; each test breaks one thing."""
    _mailbox, port = smtp_server
    settings.PRODUCTION = True
    settings.DEBUG = False
    settings.SECRET_KEY = GOOD_KEY
    settings.ALLOWED_HOSTS = ["news.example.com"]
    settings.SITE_URL = "https://news.example.com"
    settings.MAILERS = {"default": mailer_from_url(f"smtp://127.0.0.1:{port}/?timeout=5")}
    settings.DEFAULT_FROM_EMAIL = "Newsroom <news@example.com>"
    static = tmp_path / "static"
    (static / "css").mkdir(parents=True)
    (static / "css" / "site.0123456789ab.css").write_text("body{}")
    manifest = {"paths": {"css/site.css": "css/site.0123456789ab.css"}, "version": "1.1"}
    (static / "staticfiles.json").write_text(json.dumps(manifest))
    settings.STATIC_ROOT = static
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    return settings


def messages(check: Any) -> list[str]:
    return [f"{f.level}: {f.message}" for f in check()]


def test_a_good_configuration_is_ready(good: Any) -> None:
    found = production.run_checks()
    # Only the honest warnings about the test run's own stores remain.
    assert all(f.level == "warning" for f in found), found
    assert {f.topic for f in found} <= {"database", "redis"}
    out = io.StringIO()
    call_command("check_production", stdout=out)
    assert "Ready for production." in out.getvalue()


def test_the_command_names_each_problem_and_fails(good: Any) -> None:
    good.DEBUG = True
    good.ALLOWED_HOSTS = ["*"]
    out = io.StringIO()
    with pytest.raises(CommandError, match="2 problems to fix before going live"):
        call_command("check_production", stdout=out)
    assert "DEBUG is on" in out.getvalue()
    assert "ALLOWED_HOSTS accepts any host" in out.getvalue()


def test_development_mode_is_reported(good: Any) -> None:
    good.PRODUCTION = False
    assert messages(production.check_environment) == [
        "error: BROADSHEET_ENV is not 'production': cookies are not Secure, HSTS is off and "
        "the demo data is allowed. Set BROADSHEET_ENV=production."
    ]


@pytest.mark.parametrize(
    ("key", "words"),
    [
        ("change-me-to-50-random-characters", "an example value"),
        ("django-insecure-" + "x" * 50, "an example value"),
        ("short-key", "too weak (9 characters"),
        ("ab" * 40, "too weak (80 characters, 2 different)"),
    ],
)
def test_a_weak_or_example_secret_key_is_an_error(good: Any, key: str, words: str) -> None:
    good.SECRET_KEY = key
    [finding] = production.check_secret_key()
    assert finding.level == "error"
    assert words in finding.message


def test_hosts_that_would_refuse_readers_or_point_links_home(good: Any) -> None:
    good.ALLOWED_HOSTS = ["localhost"]
    assert "names no public host (localhost)" in messages(production.check_hosts)[0]
    good.ALLOWED_HOSTS = ["news.example.com"]
    good.SITE_URL = "http://127.0.0.1:8000"
    assert "links in e-mail and feeds would point at this machine" in " ".join(
        messages(production.check_hosts)
    )
    good.SITE_URL = "https://www.example.org"
    assert messages(production.check_hosts) == [
        "error: SITE_URL's host www.example.org is not in ALLOWED_HOSTS (news.example.com): "
        "the site would refuse its own address."
    ]
    good.ALLOWED_HOSTS = [".example.org"]
    good.SITE_URL = "http://www.example.org"
    assert messages(production.check_hosts) == [
        "warning: SITE_URL is not https (http://www.example.org): links in e-mail lead "
        "readers to plain HTTP."
    ]


def test_email_that_never_leaves_the_site(good: Any, tmp_path: Path) -> None:
    good.MAILERS = {"default": mailer_from_url(f"file://{tmp_path}")}
    assert "E-mail is written to files, not sent" in messages(production.check_email)[0]
    port = free_port()
    good.MAILERS = {"default": mailer_from_url(f"smtp://127.0.0.1:{port}/?timeout=2")}
    [finding] = production.check_email()
    assert f"The mail server 127.0.0.1:{port} does not answer" in finding.message
    good.MAILERS = {"default": mailer_from_url("console://")}
    good.DEFAULT_FROM_EMAIL = "Broadsheet <no-reply@localhost>"
    found = messages(production.check_email)
    assert "DEFAULT_FROM_EMAIL is Broadsheet <no-reply@localhost>" in found[0]
    assert "written to the console" in found[1]


def test_a_database_that_does_not_answer(good: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from django.db.utils import OperationalError

    def refused(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", refused)
    assert messages(production.check_database)[0] == (
        "error: The database 'default' does not answer: connection refused"
    )


def test_redis_reachable_or_not(good: Any, tmp_path: Path) -> None:
    port = free_port()
    good.REDIS_URL = f"redis://:hunter2@127.0.0.1:{port}/0"
    [finding] = production.check_redis()
    assert f"Redis at redis://:***@127.0.0.1:{port}/0 does not answer" in finding.message
    assert "hunter2" not in finding.message
    redis = RedisServer(tmp_path / "redis")
    try:
        redis.start()
    except (OSError, AssertionError):
        pytest.skip("needs redis-server: apt-get install -y redis-server")
    try:
        good.REDIS_URL = redis.url
        assert production.check_redis() == []
    finally:
        redis.stop()


def test_migrations_not_applied(good: Any) -> None:
    from django.db.migrations.recorder import MigrationRecorder

    assert production.check_migrations() == []
    MigrationRecorder.Migration.objects.filter(app="core").delete()
    [finding] = production.check_migrations()
    assert "migrations are not applied (core.0001" in finding.message
    assert "run `manage.py migrate` before starting the app servers" in finding.message


def test_static_files_missing_or_partly_collected(good: Any, tmp_path: Path) -> None:
    (Path(good.STATIC_ROOT) / "css" / "site.0123456789ab.css").unlink()
    [finding] = production.check_static_files()
    assert "1 collected static files are missing" in finding.message
    assert "css/site.0123456789ab.css" in finding.message
    good.STATIC_ROOT = tmp_path / "nothing"
    [finding] = production.check_static_files()
    assert "No collected static files in" in finding.message


def test_a_task_queue_nobody_takes_from(good: Any) -> None:
    from django_tasks_db.models import DBTaskResult

    from broadsheet.notifications.tasks import send_daily_digests

    assert production.check_task_worker() == []
    result = send_daily_digests.enqueue()
    assert production.check_task_worker() == []  # just queued: a worker has time yet
    DBTaskResult.objects.filter(id=result.id).update(
        enqueued_at=timezone.now() - timedelta(minutes=6)
    )
    [finding] = production.check_task_worker()
    assert finding.message.startswith("No task worker is running: 1 tasks have waited since")
    good.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    assert "Tasks run inside the request" in messages(production.check_task_worker)[0]
