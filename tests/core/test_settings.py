"""Settings come from the environment; production refuses to start half-configured."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_check(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    base = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    base["DJANGO_SETTINGS_MODULE"] = "broadsheet.config.settings"
    return subprocess.run(
        [sys.executable, "manage.py", "check", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key() -> None:
    result = run_check({"BROADSHEET_ENV": "production", "ALLOWED_HOSTS": "news.example.com"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set when BROADSHEET_ENV=production" in result.stderr


def test_production_passes_the_deploy_check_with_no_warnings(tmp_path: Path) -> None:
    result = run_check(
        {
            "BROADSHEET_ENV": "production",
            "SECRET_KEY": "x" * 20 + "-a-long-and-random-production-secret-key-0123456789",
            "ALLOWED_HOSTS": "news.example.com",
            "EMAIL_URL": "smtp://mailer:secret@smtp.example.com:587/?tls=true",
            "BROADSHEET_VAR_DIR": str(tmp_path),
        },
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_a_malformed_boolean_names_the_variable() -> None:
    result = run_check({"DEBUG": "perhaps"})
    assert result.returncode != 0
    assert "DEBUG must be true or false, not 'perhaps'" in result.stderr


def test_sqlite_runs_in_wal_mode_with_immediate_transactions(db: None) -> None:
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only: the default set-up without DATABASE_URL")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == 20000
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_a_site_language_we_do_not_ship_is_refused() -> None:
    result = run_check({"LANGUAGE_CODE": "fr"})
    assert result.returncode != 0
    assert "LANGUAGE_CODE must be one of en, ja, not 'fr'." in result.stderr


def test_the_site_language_may_be_japanese() -> None:
    result = run_check({"LANGUAGE_CODE": "ja"})
    assert result.returncode == 0, result.stderr
