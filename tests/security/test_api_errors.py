"""API edges: absurd numbers, unreadable bodies and unknown objects get a documented JSON error."""

from typing import Any

import pytest
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client

from broadsheet.api.urls import api

STORY = "city-council-approves-night-bus-network"


@pytest.fixture
def member(demo: dict[str, Any]) -> Client:
    """A signed-in reader whose unsafe requests carry a real CSRF token, as a browser's would."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(demo["users"]["member@example.com"])
    token = _get_new_csrf_string()
    client.cookies["csrftoken"] = token
    client.defaults["HTTP_X_CSRFTOKEN"] = token
    return client


def documented(path: str, method: str) -> set[str]:
    schema = api.get_openapi_schema(path_prefix="/api")
    return {str(status) for status in schema["paths"][path][method]["responses"]}


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["99999999999999999999", "10001", "0", "-1", "two"])
def test_an_absurd_page_number_is_a_clear_422(client: Client, page: str) -> None:
    response = client.get("/api/stories/", {"page": page})
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid"
    assert body["errors"][0]["loc"] == ["query", "page"]
    assert "422" in documented("/api/stories/", "get")


@pytest.mark.django_db
def test_a_page_past_the_end_is_empty_not_an_error(client: Client) -> None:
    response = client.get("/api/stories/", {"page": "10000"})
    assert response.status_code == 200
    assert response.json()["items"] == []


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        (f"/api/comments/stories/{STORY}/comments", "multipart/form-data"),
        (f"/api/comments/stories/{STORY}/comments", "multipart/form-data; boundary="),
        ("/api/plans/subscription", "multipart/form-data; boundary=\x7f"),
        ("/api/moderation/comments/1/reports", "multipart/form-data"),
    ],
)
def test_a_malformed_multipart_body_is_a_400_not_a_server_error(
    member: Client, path: str, content_type: str
) -> None:
    response = member.post(path, b"--x\r\n\r\n", content_type=content_type)
    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"
    assert "multipart" in response.json()["detail"]


def test_a_body_that_is_not_json_is_a_400_with_a_code(member: Client) -> None:
    response = member.post(
        f"/api/comments/stories/{STORY}/comments", b"{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "Cannot parse request body", "code": "bad_request"}
    assert "400" in documented("/api/comments/stories/{slug}/comments", "post")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    [
        "/api/stories/no-such-story",
        "/api/comments/stories/no-such-story/gate",
        "/api/comments/stories/no-such-story/thread",
        "/api/stories/?section=no-such-section",
    ],
)
def test_an_unknown_object_is_a_404_with_a_code(client: Client, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.json() == {"detail": "There is no such object.", "code": "not_found"}


@pytest.mark.django_db
def test_a_nul_character_is_a_documented_400(client: Client) -> None:
    response = client.get("/api/stories/search", {"q": "a\x00b"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert "400" in documented("/api/stories/search", "get")


def test_every_operation_documents_the_errors_every_operation_can_give() -> None:
    schema = api.get_openapi_schema(path_prefix="/api")
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            statuses = {str(status) for status in operation["responses"]}
            assert {"400", "503"} <= statuses, (method, path)
            if operation.get("parameters") or "requestBody" in operation:
                assert "422" in statuses, (method, path)
            if "{" in path:
                assert "404" in statuses, (method, path)
            if operation.get("security") and method != "get":
                assert "403" in statuses, (method, path)
            for status, response in operation["responses"].items():
                if str(status).startswith(("4", "5")):
                    body = response["content"]["application/json"]["schema"]
                    if "$ref" in body:
                        body = schema["components"]["schemas"][body["$ref"].split("/")[-1]]
                    assert {"detail", "code"} <= set(body["required"]), (method, path, status)


@pytest.mark.django_db
def test_a_method_an_address_does_not_take_is_a_json_405(client: Client) -> None:
    response = client.delete("/api/stories/")
    assert response.status_code == 405
    assert response["Allow"] == "GET"
    assert response.json() == {
        "detail": "This address does not take DELETE; it takes GET.",
        "code": "method_not_allowed",
    }
