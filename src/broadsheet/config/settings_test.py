"""Test settings: the same settings, with fast hashing and captured e-mail."""

import os

os.environ.setdefault("BROADSHEET_VAR_DIR", os.path.join(os.getcwd(), "var", "test"))

from broadsheet.config.settings import *  # noqa: F403
from broadsheet.config.settings import CACHES, DATABASES, REDIS_URL, STATIC_ROOT, VAR_DIR

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Threads in tests (live server, concurrency tests) must not keep connections open past
# a test: PostgreSQL would refuse to drop the test database.
DATABASES["default"]["CONN_MAX_AGE"] = 0
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {
        "NAME": os.path.join(os.getcwd(), "var", "test", "test.sqlite3")
    }
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True

# Each parallel test worker follows a live event log of its own.
LIVE_EVENT_LOG = (
    STATIC_ROOT.parent / f"live-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}.sqlite3"
)

# Parallel test workers (pytest-xdist) each get their own store, since tests empty the
# cache between them: a Redis database each, or a folder each for the embedded store.
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if REDIS_URL and _worker.startswith("gw"):
    from urllib.parse import urlsplit, urlunsplit

    _parts = urlsplit(REDIS_URL)
    _base = int(_parts.path.strip("/") or 0)
    REDIS_URL = urlunsplit(_parts._replace(path=f"/{(_base + int(_worker[2:])) % 16}"))
    CACHES["default"]["LOCATION"] = REDIS_URL
elif not REDIS_URL:
    CACHES["default"]["LOCATION"] = str(VAR_DIR / "cache" / (_worker or "main"))
