"""A PostgreSQL connection the server terminates fails no read and never shows a 500.

The server ends the test's own connection for real (pg_terminate_backend from a second
connection), between two requests or in the middle of one: a read is retried once on a
fresh connection; a write answers 503 with a clear message and a Retry-After.
"""

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
import pytest
from django.db import connection
from django.test import Client

from broadsheet.comments.models import Comment

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

STORY = "city-council-approves-night-bus-network"


def terminate(pid: int) -> None:
    """End backend `pid` from another connection, as an operator or a failover would."""
    params = connection.settings_dict
    with psycopg.connect(
        host=params["HOST"] or None,
        port=params["PORT"] or None,
        user=params["USER"] or None,
        password=params["PASSWORD"] or None,
        dbname=params["NAME"],
        autocommit=True,
    ) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])
        for _ in range(100):
            if not admin.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", [pid]).fetchone():
                return
            time.sleep(0.02)
    raise AssertionError(f"backend {pid} is still running")


def backend_pid() -> int:
    connection.ensure_connection()
    assert connection.connection is not None
    return int(connection.connection.info.backend_pid)


@contextmanager
def terminated_at_first_query() -> Iterator[list[int]]:
    """The server ends the connection just before the request's first query runs."""
    ended: list[int] = []

    def wrapper(execute: Callable[..., Any], sql: str, params: Any, many: bool, ctx: Any) -> Any:
        if not ended:
            ended.append(backend_pid())
            terminate(ended[0])
        return execute(sql, params, many, ctx)

    with connection.execute_wrapper(wrapper):
        yield ended


@pytest.fixture
def member(demo: dict[str, Any]) -> Client:
    client = Client()
    client.force_login(demo["users"]["member@example.com"])
    return client


@pytest.mark.parametrize("path", ["/api/stories/", f"/story/{STORY}/", f"/api/stories/{STORY}"])
def test_a_connection_ended_between_two_reads_fails_neither(member: Client, path: str) -> None:
    assert member.get(path).status_code == 200
    before = backend_pid()
    terminate(before)

    response = member.get(path)

    assert response.status_code == 200
    assert backend_pid() != before  # served on a new connection


@pytest.mark.parametrize("path", ["/api/stories/", f"/story/{STORY}/"])
def test_a_connection_ended_during_a_read_is_retried_once(member: Client, path: str) -> None:
    with terminated_at_first_query() as ended:
        response = member.get(path)
    assert ended, "the connection was not ended"
    assert response.status_code == 200


def test_a_write_on_a_lost_connection_is_a_clear_503_and_the_next_one_works(
    member: Client, settings: Any
) -> None:
    settings.COMMENT_RATE_LIMIT_SECONDS = 0
    url = f"/api/comments/stories/{STORY}/comments"
    body = json.dumps({"text": "The night buses are a good idea."})
    comments_before = Comment.objects.count()

    with terminated_at_first_query() as ended:
        refused = member.post(url, body, content_type="application/json")

    assert ended
    assert refused.status_code == 503
    assert refused["Retry-After"] == "5"
    assert refused.json()["code"] == "unavailable"
    assert "try again" in refused.json()["detail"]
    assert Comment.objects.count() == comments_before
    again = member.post(url, body, content_type="application/json")
    assert again.status_code == 201, again.content
    assert Comment.objects.count() == comments_before + 1


def test_a_form_post_on_a_lost_connection_shows_the_friendly_page(demo: dict[str, Any]) -> None:
    client = Client()
    with terminated_at_first_query() as ended:
        response = client.post(
            "/accounts/sign-in/", {"username": "member@example.com", "password": "x"}
        )
    assert ended
    assert response.status_code == 503
    page = response.content.decode()
    assert "Briefly unavailable" in page
    assert "Please try again in a few seconds" in page
    assert "Traceback" not in page
