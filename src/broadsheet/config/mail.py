"""EMAIL_URL to Django's MAILERS setting.

smtp://user:password@host:587/?tls=true    (or smtps://… for implicit TLS on 465)
console://                                 (print messages to stdout)
file:///path/to/folder                     (one file per message)
"""

from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

BACKENDS = "django.core.mail.backends"


def mailer_from_url(url: str) -> dict[str, Any]:
    parts = urlsplit(url)
    query = {key: values[-1].lower() for key, values in parse_qs(parts.query).items()}
    if parts.scheme == "console":
        return {"BACKEND": f"{BACKENDS}.console.EmailBackend"}
    if parts.scheme == "file":
        return {
            "BACKEND": f"{BACKENDS}.filebased.EmailBackend",
            "OPTIONS": {"file_path": parts.path},
        }
    if parts.scheme in {"smtp", "smtps"}:
        if not parts.hostname:
            raise ImproperlyConfigured(f"EMAIL_URL needs a host name: {url!r}")
        options: dict[str, Any] = {
            "host": parts.hostname,
            "username": unquote(parts.username or ""),
            "password": unquote(parts.password or ""),
            "use_ssl": parts.scheme == "smtps" or query.get("ssl") == "true",
            "use_tls": query.get("tls") == "true",
            "timeout": int(query.get("timeout", "10")),
        }
        if parts.port:
            options["port"] = parts.port
        return {"BACKEND": f"{BACKENDS}.smtp.EmailBackend", "OPTIONS": options}
    raise ImproperlyConfigured(
        f"EMAIL_URL must start with smtp://, smtps://, console:// or file://, not {url!r}"
    )


def development_mailer(folder: Path) -> dict[str, Any]:
    return {"BACKEND": f"{BACKENDS}.filebased.EmailBackend", "OPTIONS": {"file_path": str(folder)}}
