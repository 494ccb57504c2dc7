"""Origins a newsroom's pages are served from: https://news.example.com, nothing more."""

from urllib.parse import urlsplit

from django.utils.translation import gettext as _

from broadsheet.core.exceptions import ServiceError


def normalise_origin(text: str) -> str:
    """`text` as an origin (scheme://host[:port], lower case), or a ServiceError saying why not."""
    value = text.strip()
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ServiceError(
            _("%(value)s is not an origin: write it as https://news.example.com.")
            % {"value": repr(value)},
            code="origin",
        )
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username:
        raise ServiceError(
            _("%(value)s has more than an origin: leave out the path, query and user name.")
            % {"value": repr(value)},
            code="origin",
        )
    try:
        port = parts.port
    except ValueError as error:
        raise ServiceError(
            _("%(value)s has an invalid port.") % {"value": repr(value)}, code="origin"
        ) from error
    default = {"http": 80, "https": 443}[parts.scheme]
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"
    return f"{parts.scheme}://{host}" + (f":{port}" if port and port != default else "")


def origin_of(url: str) -> str | None:
    """The origin of a full URL, or None when it is not an http(s) URL."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    try:
        return normalise_origin(f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}")
    except ServiceError:
        return None
