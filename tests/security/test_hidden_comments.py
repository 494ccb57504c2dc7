"""A held, rejected or deleted comment answers as if it never existed, on every route.

Every route that takes a comment id (found in the URL conf and the OpenAPI document) is
requested for a held, a rejected and a deleted comment, and for an id no comment has,
as a visitor, another reader, the author and a moderator. Unless the route is the one
where that person works on that comment (the author's edit and delete, the moderation
desk), the answer must be exactly the answer for the missing id, which is 404 unless
the route refuses the person whatever the id (sign in first, staff only, wrong method),
and the comment's text must not appear in it.
"""

import uuid
from collections.abc import Callable
from typing import Any

from django.test import Client

from broadsheet.accounts.models import User
from broadsheet.comments import services as comment_services
from broadsheet.comments.models import Comment
from tests.security.conftest import World
from tests.security.routes import Route, all_routes, outcome, rolled_back, send

PEOPLE = ["visitor", "another reader", "author", "moderator"]
STATES = ["held", "rejected", "deleted"]
# Answers that refuse the person (or the method) whatever the id: they reveal nothing.
REFUSALS = {"sign-in", "admin-login", "401", "403", "405"}
# Where a person works on a comment others may not see: (person, route key prefix, states).
WORKS_ON = [
    ("author", "comments:edit", {"held", "rejected"}),
    ("author", "comments:delete", {"held", "rejected"}),
    ("author", "PATCH /api/comments/{comment_id}", {"held", "rejected"}),
    ("author", "DELETE /api/comments/{comment_id}", {"held", "rejected"}),
    ("moderator", "moderation:", set(STATES)),
    ("moderator", "POST /api/moderation/comments/{comment_id}/decision", set(STATES)),
]


def comment_routes() -> list[tuple[Route, bool]]:
    """(route, with htmx) for every page and API operation that takes a comment id."""
    found: list[tuple[Route, bool]] = []
    for route in all_routes():
        names_comment = "comment_id" in route.params or (
            route.path.startswith("/admin/comments/comment/") and "object_id" in route.params
        )
        if not names_comment:
            continue
        if route.is_api:
            found.append((route, False))
            continue
        for method in ("GET", "POST"):
            page = Route(route.key, method, route.path, route.params)
            found += [(page, False), (page, True)]
    return found


def _works_on(person: str, route: Route, state: str) -> bool:
    return any(
        person == who and route.key.startswith(prefix) and state in states
        for who, prefix, states in WORKS_ON
    )


def _hidden_comment(world: World, state: str, secret: str) -> Comment:
    comment = comment_services.post_comment(
        world.users["member"], world.story, f"Not for everyone: {secret}"
    )
    if state == "held":
        return comment_services.set_status(comment, Comment.Status.PENDING, reason="held")
    if state == "rejected":
        return comment_services.set_status(comment, Comment.Status.REJECTED, reason="abuse")
    return comment_services.delete_comment(world.users["member"], comment.pk)


def _ask(client: Client, route: Route, htmx: bool, comment_id: int) -> Any:
    values = {"comment_id": comment_id, "object_id": comment_id}
    with rolled_back():
        return send(client, route, values, htmx=htmx)


def test_the_walk_finds_every_route_that_takes_a_comment_id() -> None:
    keys = {route.key for route, _ in comment_routes()}
    for expected in (
        "reports:comment",
        "comments:reply",
        "comments:permalink",
        "moderation:item",
        "POST /api/moderation/comments/{comment_id}/reports",
        "GET /api/comments/threads/{comment_id}",
    ):
        assert expected in keys


def test_held_rejected_and_deleted_comments_answer_as_missing_ones(
    world: World, make_reader: Callable[[str], User]
) -> None:
    clients = {
        "visitor": world.client("visitor"),
        "another reader": Client(),
        "author": world.client("member"),
        "moderator": world.client("moderator"),
    }
    clients["another reader"].force_login(make_reader("Second Reader"))
    missing_id = Comment.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    missing_id += 1000
    secrets = {state: f"zq{uuid.uuid4().hex}" for state in STATES}
    comments = {state: _hidden_comment(world, state, secrets[state]) for state in STATES}
    routes = comment_routes()
    leaks = []
    for person, client in clients.items():
        for route, htmx in routes:
            missing = outcome(_ask(client, route, htmx, missing_id))
            if not any(_works_on(person, route, state) for state in STATES):
                assert missing == "404" or missing in REFUSALS, (person, route, missing)
            for state, comment in comments.items():
                response = _ask(client, route, htmx, comment.pk)
                got = outcome(response)
                what = f"{person}, {state} comment: {route.method} {route.url({'comment_id': comment.pk, 'object_id': comment.pk})}{' (htmx)' if htmx else ''}"  # noqa: E501
                assert response.status_code < 500, f"{what} answered {got}"
                if _works_on(person, route, state):
                    continue
                if got != missing or secrets[state].encode() in response.content:
                    leaks.append(f"{what} answered {got}; a missing comment answers {missing}")
    assert not leaks, "\n".join(leaks)


def test_the_author_and_the_desk_still_see_a_held_comment(
    world: World, make_reader: Callable[[str], User]
) -> None:
    secret = f"zq{uuid.uuid4().hex}"
    held = _hidden_comment(world, "held", secret)
    author = world.client("member").get(f"/comments/{held.pk}/edit/")
    assert author.status_code == 200
    assert secret in author.content.decode()
    desk = world.client("moderator").get(f"/desk/comment/{held.pk}/")
    assert desk.status_code == 200
    assert secret in desk.content.decode()
