"""The ground every page stands on: health, errors, headers, logs, demo data."""

import json
import logging
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client


@pytest.mark.django_db
def test_healthz_answers_200_reporting_each_dependency(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    report = response.json()
    assert report["status"] == "ok"
    assert report["database"] == {"status": "ok", "engine": connection.vendor}
    assert report["cache"]["status"] == "ok"
    assert report["tasks"]["status"] == "ok"


@pytest.mark.django_db
def test_healthz_answers_503_with_a_reason_when_the_database_fails(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db.utils import OperationalError

    def broken_cursor(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    report = response.json()
    assert report["status"] == "unavailable"
    assert report["database"]["reason"] == "database unreachable: connection refused"
    assert report["cache"]["status"] == "ok"


@pytest.mark.django_db
def test_unknown_page_gets_the_friendly_404(client: Client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert b"Go to the front page" in response.content


@pytest.mark.django_db
def test_unknown_api_path_gets_a_json_404(client: Client) -> None:
    response = client.get("/api/no-such-endpoint")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert "detail" in response.json()


@pytest.mark.django_db
def test_csrf_failure_gets_a_friendly_page(demo: dict[str, Any]) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/sign-in/", {"username": "x@example.com", "password": "y"})
    assert response.status_code == 403
    assert b"Your form expired or came from another site" in response.content


@pytest.mark.django_db
def test_pages_send_a_strict_content_security_policy(client: Client) -> None:
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "'unsafe-inline'" not in policy
    assert "script-src 'self' 'nonce-" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_every_request_logs_one_line_with_status_and_duration(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="broadsheet.request"):
        client.get("/healthz")
    lines = [r.getMessage() for r in caplog.records if r.name == "broadsheet.request"]
    assert len(lines) == 1
    method, path, status, duration = lines[0].split()
    assert (method, path, status) == ("GET", "/healthz", "200")
    assert duration.endswith("ms")


@pytest.mark.django_db
def test_api_serves_its_openapi_document(client: Client) -> None:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert json.loads(response.content)["info"]["title"] == "Broadsheet API"


@pytest.mark.django_db
def test_seed_demo_twice_changes_nothing(demo: dict[str, Any]) -> None:
    from broadsheet.accounts.models import User
    from broadsheet.comments.models import Comment
    from broadsheet.stories.models import Story
    from broadsheet.subscriptions.models import Plan, Subscription

    models = [User, Plan, Subscription, Story, Comment]
    before = {m.__name__: m.objects.count() for m in models}
    call_command("seed_demo", verbosity=0)
    after = {m.__name__: m.objects.count() for m in models}
    assert before == after
    assert after["Story"] >= 6


@pytest.mark.django_db
def test_seed_demo_refuses_production(settings: Any) -> None:
    from django.core.management.base import CommandError

    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="never loaded in production"):
        call_command("seed_demo", verbosity=0)


@pytest.mark.django_db
def test_home_page_lists_the_demo_stories(client: Client, demo: dict[str, Any]) -> None:
    response = client.get("/")
    assert response.status_code == 200
    for story in demo["stories"].values():
        assert story.headline.encode() in response.content


@pytest.mark.django_db
def test_server_error_page_is_friendly_and_json_under_api(rf: Any) -> None:
    from broadsheet.core.errors import server_error

    page = server_error(rf.get("/story/x/"))
    assert page.status_code == 500
    assert b"Something went wrong" in page.content
    assert b"Traceback" not in page.content
    api = server_error(rf.get("/api/comments/"))
    assert api.status_code == 500
    assert json.loads(api.content) == {
        "detail": "An error on our side stopped this page. It has been logged.",
        "code": "server_error",
    }


@pytest.mark.django_db
def test_bad_request_page_for_a_disallowed_host(client: Client) -> None:
    response = client.get("/", HTTP_HOST="evil.example.net")
    assert response.status_code == 400
    assert b"Bad request" in response.content


@pytest.mark.django_db
def test_the_demo_editor_can_open_the_story_admin(client: Client, demo: dict[str, Any]) -> None:
    client.force_login(demo["users"]["editor@example.com"])
    assert client.get("/admin/stories/story/").status_code == 200
    assert client.get("/admin/stories/topic/add/").status_code == 200
    client.force_login(demo["users"]["member@example.com"])
    assert client.get("/admin/stories/story/").status_code == 302  # readers go to sign in


JSON = "application/json"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "path", "body", "content_type"),
    [
        ("get", "/search/?q=harbour%00", None, None),
        ("get", "/api/stories/harbour%00", None, None),
        ("post", "/api/accounts/me/display-name", '{"display_name": "A\\u0000B"}', JSON),
    ],
)  # fmt: skip
def test_a_nul_character_anywhere_gets_a_clear_400(
    client: Client, method: str, path: str, body: str | None, content_type: str | None
) -> None:
    if method == "get":
        response = client.get(path)
    else:
        response = client.post(path, body, content_type=content_type)
    assert response.status_code == 400
    assert b"NUL character" in response.content


@pytest.mark.django_db
def test_a_nul_character_in_a_form_is_refused_by_the_form(client: Client) -> None:
    response = client.post(
        "/accounts/sign-in/", {"username": "a\x00b@example.com", "password": "x"}
    )
    assert response.status_code == 200
    assert b"Null characters are not allowed." in response.content
