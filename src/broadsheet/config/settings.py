"""Broadsheet settings, read from the environment.

BROADSHEET_ENV=production switches on the production rules: a SECRET_KEY and
ALLOWED_HOSTS must be given, cookies are Secure, HSTS is sent and the demo data
is refused. Development (the default) keeps a generated secret under var/.
"""

from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

from broadsheet.config.env import env_bool, env_int, env_list, env_str
from broadsheet.config.mail import development_mailer, mailer_from_url
from broadsheet.config.secret import development_secret_key

BASE_DIR = Path(__file__).resolve().parents[3]
VAR_DIR = Path(env_str("BROADSHEET_VAR_DIR") or BASE_DIR / "var")

ENVIRONMENT = env_str("BROADSHEET_ENV", "development").lower()
if ENVIRONMENT not in {"development", "production"}:
    raise ImproperlyConfigured(
        f"BROADSHEET_ENV must be 'development' or 'production', not {ENVIRONMENT!r}."
    )
PRODUCTION = ENVIRONMENT == "production"
DEBUG = env_bool("DEBUG", default=False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG cannot be on when BROADSHEET_ENV=production.")

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when BROADSHEET_ENV=production.")
    SECRET_KEY = development_secret_key(VAR_DIR)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must be set when BROADSHEET_ENV=production.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

SITE_NAME = env_str("SITE_NAME", "Broadsheet")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django_htmx",
    "axes",
    "ninja",
    "django_tasks_db",
    "broadsheet.core",
    "broadsheet.accounts",
    "broadsheet.subscriptions",
    "broadsheet.stories",
    "broadsheet.comments",
    "broadsheet.moderation",
    "broadsheet.appeals",
    "broadsheet.embed",
    "broadsheet.notifications",
    "broadsheet.privacy",
    "broadsheet.live",
    "broadsheet.api",
]

MIDDLEWARE = [
    "broadsheet.core.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # After the security headers, so their refusals carry them like every other page.
    "broadsheet.core.middleware.RefuseNulMiddleware",
    "broadsheet.core.middleware.ApiMethodNotAllowedMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After sessions, before CommonMiddleware (Django's order): picks the language from the
    # cookie set by the picker, else Accept-Language, else LANGUAGE_CODE.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # A signed-in reader's saved language, when this browser has not chosen one.
    "broadsheet.accounts.middleware.ReaderLanguageMiddleware",
    "broadsheet.embed.middleware.EmbedSessionMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "broadsheet.core.middleware.ServiceUnavailableMiddleware",
    "broadsheet.core.middleware.DatabaseLostMiddleware",
]

ROOT_URLCONF = "broadsheet.config.urls"
WSGI_APPLICATION = "broadsheet.config.wsgi.application"
ASGI_APPLICATION = "broadsheet.config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "broadsheet.core.context_processors.site",
                "broadsheet.notifications.context_processors.unread",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL says otherwise.
DATABASE_URL = env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'broadsheet.sqlite3'}"
# Connections stay open between requests (opening one costs more than a simple query).
DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=600, conn_health_checks=True)
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # Writers queue up behind one another instead of failing with "database is locked".
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA foreign_keys=ON;"
            "PRAGMA busy_timeout=20000;"
        ),
    }
    if DATABASES["default"]["NAME"] != ":memory:":
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
# Read replicas (PostgreSQL streaming replicas of DATABASE_URL): stale-tolerant reads go
# there (see broadsheet.core.replicas); a reader who just wrote reads from the primary.
DATABASE_REPLICA_URLS = env_list("DATABASE_REPLICA_URLS", [])
for _number, _url in enumerate(DATABASE_REPLICA_URLS, start=1):
    DATABASES[f"replica_{_number}"] = {
        **dj_database_url.parse(_url, conn_max_age=600, conn_health_checks=True),
        "TEST": {"MIRROR": "default"},
    }
READ_YOUR_WRITES_SECONDS = env_int("READ_YOUR_WRITES_SECONDS", 10)
DATABASE_ROUTERS = ["broadsheet.core.replicas.ReplicaRouter"] if DATABASE_REPLICA_URLS else []
if DATABASE_REPLICA_URLS:
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
        "broadsheet.core.replicas.ReadYourWritesMiddleware",
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache, rate limits, form tokens and version stamps: one store that every worker process
# shares (see broadsheet.core.cache): SQLite files under var/cache/ by default, Redis when
# REDIS_URL is set. Never one process's memory: `make serve` runs several workers.
REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "broadsheet.core.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env_str("CACHE_KEY_PREFIX", "broadsheet"),
            # A Redis that stops answering costs a page one second, not a hung worker.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "broadsheet.core.cache.DiskCache",
            "LOCATION": str(VAR_DIR / "cache"),
            "OPTIONS": {"size_limit": 512 * 2**20},
        }
    }

# Live updates: the event log every worker follows (Redis when REDIS_URL is set), and
# where browsers reach the live server: empty for the pages' own address (a proxy routes
# /live/ to it); `make serve` sets http://HOST:LIVE_PORT.
LIVE_EVENT_LOG = VAR_DIR / "live.sqlite3"
LIVE_URL = env_str("LIVE_URL", "").rstrip("/")

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Signs readers in and reads them with what pages ask of them, in one query.
    "broadsheet.accounts.backends.ReaderBackend",
    # Sessions begun before ReaderBackend existed name this one; they keep working.
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:sign_in"
LOGIN_REDIRECT_URL = "stories:home"
LOGOUT_REDIRECT_URL = "stories:home"

# Sign-in throttling (django-axes): lock out after repeated failures, per account and address.
AXES_FAILURE_LIMIT = env_int("SIGNIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("SIGNIN_LOCKOUT_MINUTES", 15) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_USERNAME_FORM_FIELD = "username"
# Failures count against the normalised address, however the reader spells it.
AXES_USERNAME_CALLABLE = "broadsheet.accounts.emails.sign_in_username"
AXES_LOCKOUT_CALLABLE = "broadsheet.accounts.views.locked_out"
AXES_VERBOSE = False

# Sessions are read from the shared store (written through to the database, which stays
# the record): a signed-in page costs no session query.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
CSRF_FAILURE_VIEW = "broadsheet.core.errors.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Where browsers fetch uploaded images from when they live in object storage.
_MEDIA_ORIGINS = []
if env_str("MEDIA_S3_BUCKET"):
    _MEDIA_ORIGINS = [
        f"https://{env_str('MEDIA_S3_CUSTOM_DOMAIN')}"
        if env_str("MEDIA_S3_CUSTOM_DOMAIN")
        else env_str("MEDIA_S3_ENDPOINT_URL") or "https://*.amazonaws.com"
    ]

# A strict Content Security Policy: our own scripts and styles only, no inline script.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", *_MEDIA_ORIGINS],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF, *([LIVE_URL] if LIVE_URL else [])],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

# The site's language for readers whose browser asks for none we ship; a reader's own
# choice (the picker's cookie, or their account) and Accept-Language come first.
LANGUAGES = [("en", "English"), ("ja", "日本語")]
LANGUAGE_CODE = env_str("LANGUAGE_CODE", "en").lower()
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured(
        f"LANGUAGE_CODE must be one of {', '.join(dict(LANGUAGES))}, not {LANGUAGE_CODE!r}."
    )
LOCALE_PATHS = [BASE_DIR / "src" / "broadsheet" / "locale"]
# British spelling and dates for English ("2 December 2026"), whatever the code says.
FORMAT_MODULE_PATH = ["broadsheet.formats"]
TIME_ZONE = env_str("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# The container image collects them at build time into a folder of its own.
STATIC_ROOT = Path(env_str("STATIC_ROOT") or VAR_DIR / "static")
# Uploaded media (stories' lead images): on local disk under var/media by default, on
# S3-compatible object storage (AWS, MinIO, R2, ...) through django-storages when
# MEDIA_S3_BUCKET is set.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT") or VAR_DIR / "media")
MEDIA_URL = env_str("MEDIA_URL", "/media/")
MEDIA_S3_BUCKET = env_str("MEDIA_S3_BUCKET")
_MEDIA_STORAGE: dict[str, Any] = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
if MEDIA_S3_BUCKET:
    _MEDIA_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": MEDIA_S3_BUCKET,
            "endpoint_url": env_str("MEDIA_S3_ENDPOINT_URL") or None,
            "region_name": env_str("MEDIA_S3_REGION") or None,
            "access_key": env_str("MEDIA_S3_ACCESS_KEY_ID") or None,
            "secret_key": env_str("MEDIA_S3_SECRET_ACCESS_KEY") or None,
            # Public images under stable addresses: no signed, expiring query strings.
            "custom_domain": env_str("MEDIA_S3_CUSTOM_DOMAIN") or None,
            "querystring_auth": False,
            "default_acl": None,
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }
# Largest lead image upload accepted, in megabytes.
STORY_IMAGE_MAX_MB = env_int("STORY_IMAGE_MAX_MB", 10)
STORAGES: dict[str, dict[str, Any]] = {
    "default": _MEDIA_STORAGE,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# E-mail: EMAIL_URL (smtp://user:password@host:587/?tls=true); in development, files in var/mail.
EMAIL_URL = env_str("EMAIL_URL")
if EMAIL_URL:
    MAILERS = {"default": mailer_from_url(EMAIL_URL)}
elif PRODUCTION:
    raise ImproperlyConfigured("EMAIL_URL must be set when BROADSHEET_ENV=production.")
else:
    MAILERS = {"default": development_mailer(VAR_DIR / "mail")}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", f"{SITE_NAME} <no-reply@localhost>")

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
if env_bool("TASKS_IMMEDIATE", default=not PRODUCTION):
    TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

NINJA_PAGINATION_PER_PAGE = 20

# Comment limits: the least seconds between two comments by one reader, and the most
# comments one reader posts in an hour (0 switches either off).
# Visitors' pages in the shared store, and what they tell a proxy (core/pagecache.py).
# The store's lifetime plus the proxy's stays under the live log's 10 minutes.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 300)
PAGE_MAX_AGE = env_int("PAGE_MAX_AGE", 10)
PAGE_STALE_WHILE_REVALIDATE = env_int("PAGE_STALE_WHILE_REVALIDATE", 60)
COMMENT_RATE_LIMIT_SECONDS = env_int("COMMENT_RATE_LIMIT_SECONDS", 10)
COMMENT_BURST_PER_HOUR = env_int("COMMENT_BURST_PER_HOUR", 30)

# Readers' data: how long a deleted account waits (signing in cancels), how long a data
# download's link works, and how long a new e-mail address has to confirm the change.
ACCOUNT_DELETION_GRACE_DAYS = env_int("ACCOUNT_DELETION_GRACE_DAYS", 14)
DATA_EXPORT_HOURS = env_int("DATA_EXPORT_HOURS", 48)
DATA_EXPORT_DIR = VAR_DIR / "exports"
EMAIL_CHANGE_HOURS = env_int("EMAIL_CHANGE_HOURS", 24)

# Tests that start several worker processes learn which one answered (X-Worker-Pid).
WORKER_PID_HEADER = env_bool("WORKER_PID_HEADER", default=False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"line": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"stdout": {"class": "logging.StreamHandler", "formatter": "line"}},
    "root": {"handlers": ["stdout"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Our middleware writes one line per request; Django's own request lines would repeat it.
        "django.server": {"level": "WARNING"},
        "django.request": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
    },
}
if TASKS["default"]["BACKEND"].endswith("ImmediateBackend"):
    # Tasks then run inside the request whose line is written already: two more lines
    # (running, successful) per comment said nothing new. Failures are still logged.
    LOGGING["loggers"]["django.tasks"] = {"level": "WARNING"}  # type: ignore[index]

# Demo sign-ins exist only when the demo data is loaded, and never in production.
DEMO_PASSWORD = "broadsheet-demo"  # noqa: S105 - published in the README on purpose
