"""Every address the site answers, found from the URL conf and the OpenAPI document.

The security suites walk these instead of a hand-written list, so a new page or endpoint
is tested (or the test says what to add) the moment it is routed.
"""

import json
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from broadsheet.api.urls import api


@dataclass(frozen=True)
class Route:
    """One address: `key` names it in the expectation tables.

    Pages are keyed by URL name ("comments:reply"), or by their pattern when they have
    none; API operations by method and OpenAPI path ("POST /api/comments/{comment_id}/replies").
    """

    key: str
    method: str
    path: str  # with {name} for each parameter
    params: tuple[str, ...]
    body: Mapping[str, Any] | None = None  # a valid JSON body, for API operations

    @property
    def is_api(self) -> bool:
        return self.body is not None

    def url(self, values: Mapping[str, object]) -> str:
        return self.path.format(**{name: values[name] for name in self.params})


_ROUTE_PARAM = re.compile(r"<(?:\w+:)?(\w+)>")
_REGEX_PARAM = re.compile(r"\(\?P<(\w+)>[^)]*\)")


def _as_template(pattern: str) -> str:
    pattern = _REGEX_PARAM.sub(r"{\1}", pattern.replace("^", "").replace("$", ""))
    return "/" + _ROUTE_PARAM.sub(r"{\1}", pattern)


def _walk(
    patterns: list[URLPattern | URLResolver], prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), inner)
        else:
            path = _as_template(prefix + str(entry.pattern))
            if entry.name:
                yield (f"{namespace}:{entry.name}" if namespace else entry.name), path
            else:
                yield path, path


def openapi() -> dict[str, Any]:
    schema: dict[str, Any] = api.get_openapi_schema()
    return schema


def page_routes() -> list[Route]:
    """Every page in the URL conf (GET), except the API operations the OpenAPI document lists."""
    documented = set(openapi()["paths"])
    routes = []
    for key, path in _walk(get_resolver().url_patterns):
        if path in documented:
            continue
        routes.append(Route(key, "GET", path, tuple(re.findall(r"{(\w+)}", path))))
    return routes


# Values for string fields of request bodies, by field name: valid, so each operation
# gets past validation to the rule that decides who may use it.
BODY_STRINGS = {
    "text": "A fair point, well made.",
    "reason": "Off topic",
    "plan": "digital-plus",
    "card_number": "4242424242424242",
    "exp": "12/40",
    "cvc": "123",
    "display_name": "Quiet Reader",
    "idempotency_key": "security-suite-1",
    "token": "",
}


def _example(schema: Mapping[str, Any], name: str, components: Mapping[str, Any]) -> Any:
    if "$ref" in schema:
        return _example(components[schema["$ref"].rsplit("/", 1)[1]], name, components)
    if "anyOf" in schema:
        kinds = schema["anyOf"]
        return None if {"type": "null"} in kinds else _example(kinds[0], name, components)
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    kind = schema.get("type")
    if kind == "object":
        return {
            field: _example(value, field, components)
            for field, value in schema.get("properties", {}).items()
        }
    if kind == "integer":
        return max(1, int(schema.get("minimum", 1)))
    if kind == "boolean":
        return False
    if kind == "array":
        return []
    return BODY_STRINGS.get(name, "Something to say.")


def api_operations() -> list[Route]:
    """Every operation in the OpenAPI document, each with a valid example body."""
    document = openapi()
    components = document.get("components", {}).get("schemas", {})
    routes = []
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            schema = content.get("application/json", {}).get("schema")
            body = _example(schema, "", components) if schema else {}
            params = tuple(re.findall(r"{(\w+)}", path))
            routes.append(Route(f"{method.upper()} {path}", method.upper(), path, params, body))
    return routes


def all_routes() -> list[Route]:
    return page_routes() + api_operations()


def send(client: Client, route: Route, values: Mapping[str, object], *, htmx: bool = False) -> Any:
    """Request the route as the client's reader would: pages by GET, API calls with their body."""
    url = route.url(values)
    headers = {"HX-Request": "true"} if htmx else {}
    if route.is_api:
        # Ids in a body name the same demo objects as the path does (not whatever has id 1).
        body = {k: values.get(k, v) for k, v in (route.body or {}).items()}
        data = json.dumps(body) if route.method != "GET" else None
        return client.generic(
            route.method, url, data or "", content_type="application/json", headers=headers
        )
    if route.method == "POST":
        return client.post(url, FORM_FIELDS, headers=headers)
    return client.get(url, headers=headers)


# A form post with a valid value for each field the site's forms have.
FORM_FIELDS = {
    "text": "A fair point, well made.",
    "reason": "abuse",
    "action": "approve",
    "revision": "1",
    "status": "pending",
    "kind": "warning",
}


def outcome(response: Any) -> str:
    """A response as the tables write it: the status, or where a redirect sends the reader."""
    if response.status_code in (301, 302, 303):
        location = response.headers.get("Location", "")
        if location.startswith("/accounts/sign-in/"):
            return "sign-in"
        if location.startswith("/admin/login/"):
            return "admin-login"
    return str(response.status_code)


@contextmanager
def rolled_back() -> Iterator[None]:
    """One request's changes are undone before the next, and it starts with an empty cache."""
    with transaction.atomic():
        cache.clear()
        yield
        transaction.set_rollback(True)
