"""The API fuzzed against its own OpenAPI document, signed in as a reader and as a moderator.

Schemathesis generates requests from the document, valid and invalid, and checks every
answer: never a server error, a documented status code, a documented content type and a
body that matches the documented schema. Bounded so that a run takes well under a minute.
"""

import zlib
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from broadsheet.api.urls import api

schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api"))
schema.app = WSGIHandler()

# Real slugs and ids from the demo data, filled in when it is loaded: half the generated
# path parameters are swapped for one of them, so the fuzzer reaches real stories,
# comments (published and held), readers, subscriptions and sanctions, not only 404s.
KNOWN: dict[str, list[Any]] = {}


@schema.hook
def map_path_parameters(context: Any, path_parameters: dict[str, Any] | None) -> Any:
    if not path_parameters:
        return path_parameters
    swapped = dict(path_parameters)
    for name, value in path_parameters.items():
        choices = KNOWN.get(name)
        seed = zlib.crc32(repr(value).encode())  # deterministic, so a failure replays
        if choices and seed % 2:
            swapped[name] = choices[seed // 2 % len(choices)]
    return swapped


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
ROLES = {"reader": "member@example.com", "moderator": "moderator@example.com"}


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Any:
    """Requests run inside the test's transaction: the handler must not close the connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def demo_once(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    """The demo data, loaded once for the whole module and rolled back at its end.

    Each test runs in a savepoint inside this transaction, so it starts from the same data.
    """
    from broadsheet.comments.models import Comment
    from broadsheet.core.demo import load_demo
    from broadsheet.moderation.models import Sanction
    from broadsheet.subscriptions.models import Subscription

    with django_db_blocker.unblock(), transaction.atomic():
        demo = load_demo()
        KNOWN.update(
            slug=sorted(demo["stories"])[:5],
            comment_id=[
                *Comment.objects.filter(status="published").values_list("pk", flat=True)[:4],
                *Comment.objects.exclude(status="published").values_list("pk", flat=True)[:4],
            ],
            reader_id=[user.pk for user in demo["users"].values()],
            subscription_id=list(Subscription.objects.values_list("pk", flat=True)),
            sanction_id=list(Sanction.objects.values_list("pk", flat=True)),
        )
        yield demo
        transaction.set_rollback(True)
    KNOWN.clear()


@pytest.fixture
def signed_in(
    request: pytest.FixtureRequest, demo_once: dict[str, Any], db: None
) -> dict[str, Any]:
    """The cookies and header of a demo account's session, with a CSRF token for writes."""
    client = Client()
    client.force_login(
        demo_once["users"][ROLES[request.param]],
        backend="django.contrib.auth.backends.ModelBackend",
    )
    token = _get_new_csrf_string()
    return {
        "cookies": {"sessionid": client.cookies["sessionid"].value, "csrftoken": token},
        "headers": {"X-CSRFToken": token},
    }


@pytest.mark.parametrize("signed_in", list(ROLES), indirect=True)
@schema.parametrize()
@settings(
    max_examples=6,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_every_answer_is_documented_and_none_is_a_server_error(
    case: schemathesis.Case, signed_in: dict[str, Any]
) -> None:
    case.call_and_validate(
        headers=signed_in["headers"], cookies=signed_in["cookies"], checks=CHECKS
    )
