"""Shared fixtures: demo data, the real browser, and the servers some tests need."""

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from hypothesis import settings as hypothesis_settings

from tests.servers import ServerPool, SiteServer

# Playwright runs an event loop in the test thread; the live server's ORM calls are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# CI replays the same examples every run, so a red build always means a changed behaviour.
hypothesis_settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = Path(__file__).resolve().parent.parent / "var" / "screenshots"


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Each test starts with an empty cache (rate limits, cached pages)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def demo(db: Any) -> dict[str, Any]:
    """The demo data, loaded as `make serve` loads it."""
    from broadsheet.core.demo import load_demo

    return load_demo()


# --- the real browser -------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    if not CHROMIUM.exists():
        pytest.skip("Browser tests need Debian's Chromium: apt-get install -y chromium")
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture
def screenshot_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


# --- PostgreSQL and Redis ---------------------------------------------------------------


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("postgres") and not settings.DATABASES["default"]["ENGINE"].endswith(
        "postgresql"
    ):
        pytest.skip(
            "needs PostgreSQL: run with "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres make test"
        )
    if item.get_closest_marker("redis") and not settings.REDIS_URL:
        pytest.skip("needs Redis: run with REDIS_URL=redis://127.0.0.1:6379/0 make test")


@pytest.fixture
def on_postgres() -> bool:
    return connection.vendor == "postgresql"


# --- the real server --------------------------------------------------------------------


@pytest.fixture(scope="session")
def site_servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerPool]:
    """Real servers started as `make serve` starts them (see tests/servers.py), all stopped
    when the session ends: `.get(workers=, env=)` shares one per configuration, `.start()`
    gives a test one of its own to break."""
    pool = ServerPool(tmp_path_factory.mktemp("servers"))
    yield pool
    pool.stop_all()


@pytest.fixture
def site_server(site_servers: ServerPool) -> SiteServer:
    """The demo site served by 2 worker processes, shared by the session's tests."""
    return site_servers.get(workers=2)
