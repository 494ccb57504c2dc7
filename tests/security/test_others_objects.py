"""A reader cannot reach another reader's objects by their id.

Every route whose parameters name a comment, subscription, payment, report, sanction or
reader (found in the URL conf and the OpenAPI document) is requested with the owner's
object as another reader: the answer is the answer for an id nothing has (404, or the
refusal a staff-only URL gives everyone who is not staff) and shows none of the owner's
data. The owner, asking the same reader routes, reaches the object: the ids are real.
"""

import json
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.test import Client

from broadsheet.accounts.models import User
from broadsheet.comments import services as comment_services
from broadsheet.comments.models import Comment
from broadsheet.moderation import services as moderation_services
from broadsheet.subscriptions.models import Payment, Subscription
from broadsheet.subscriptions.renewals import renew_one
from tests.security.conftest import World
from tests.security.routes import Route, all_routes, outcome, rolled_back, send

# Refusals given whatever the id: staff-only URLs, and methods a URL does not take.
REFUSALS = {"403", "admin-login", "sign-in", "405"}
# Admin pages of the objects readers own, by the model in their path.
ADMIN_MODELS = {
    "comments/comment": "comment",
    "subscriptions/subscription": "subscription",
    "subscriptions/payment": "payment",
    "moderation/report": "report",
    "moderation/sanction": "sanction",
    "accounts/user": "reader",
}
# Route parameters that name a reader's object.
PARAMS = {
    "comment_id": "comment",
    "subscription_id": "subscription",
    "payment_id": "payment",
    "report_id": "report",
    "sanction_id": "sanction",
    "reader_id": "reader",
}


def _kind(route: Route) -> str | None:
    for param, kind in PARAMS.items():
        if param in route.params:
            return kind
    if "object_id" in route.params and route.path.startswith("/admin/"):
        return ADMIN_MODELS.get("/".join(route.path.split("/")[2:4]))
    return None


def object_routes() -> list[tuple[Route, str]]:
    found = []
    for route in all_routes():
        kind = _kind(route)
        if kind is None:
            continue
        if not route.is_api:
            found.append((Route(route.key, "POST", route.path, route.params), kind))
        found.append((route, kind))
    return found


def _ask(client: Client, route: Route, object_id: int) -> Any:
    values = dict.fromkeys(route.params, object_id)
    with rolled_back():
        return send(client, route, values)


def _subscribe(client: Client) -> Subscription:
    response = client.post(
        "/api/plans/subscription",
        json.dumps(
            {
                "plan": "digital-plus",
                "card_number": "4242424242424242",
                "exp": "12/40",
                "cvc": "123",
                "idempotency_key": uuid.uuid4().hex,
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    subscription = Subscription.objects.get(pk=response.json()["id"])
    # The trial ends and the first payment is taken, as the renewal job does.
    renew_one(subscription.pk, now=subscription.current_period_end + timedelta(minutes=1))
    assert Payment.objects.filter(subscription=subscription).exists()
    return subscription


def test_the_walk_finds_the_routes_of_each_kind_of_object() -> None:
    kinds = {kind for _, kind in object_routes()}
    assert {"comment", "subscription", "payment", "report", "sanction", "reader"} <= kinds


def test_another_readers_objects_answer_as_missing_ones(
    world: World, make_reader: Callable[..., User]
) -> None:
    secret = f"zq{uuid.uuid4().hex}"
    owner_user = make_reader("Owner Reader", subscribed=False)
    owner, intruder = Client(), Client()
    owner.force_login(owner_user)
    intruder.force_login(make_reader("Nosy Reader"))
    subscription = _subscribe(owner)
    held = comment_services.post_comment(owner_user, world.story, f"Held back: {secret}")
    held = comment_services.set_status(held, Comment.Status.PENDING, reason="held")
    objects: dict[str, int] = {
        "comment": held.pk,
        "subscription": subscription.pk,
        "payment": Payment.objects.get(reader=owner_user).pk,
        "report": moderation_services.report(owner_user, world.comment.pk, "other", secret).pk,
        "sanction": moderation_services.sanction(
            world.users["moderator"], owner_user.pk, "warning", reason=secret
        ).pk,
        "reader": owner_user.pk,
    }
    missing_id = max(objects.values()) + 1000
    routes = object_routes()
    wrong = []
    reached = set()
    for route, kind in routes:
        missing = outcome(_ask(intruder, route, missing_id))
        response = _ask(intruder, route, objects[kind])
        got = outcome(response)
        what = f"{route.method} {route.url(dict.fromkeys(route.params, objects[kind]))}"
        # A reader's id names no private object of theirs (author pages show it): for
        # routes that take one, answering as for a missing reader is enough.
        hidden = got == "404" or got in REFUSALS or kind == "reader"
        if got != missing or not hidden:
            wrong.append(f"{what} (another reader's {kind}) answered {got}; missing: {missing}")
        if secret.encode() in response.content:
            wrong.append(f"{what} showed another reader's {kind}")
        if outcome(_ask(owner, route, objects[kind])) not in {"404", *REFUSALS}:
            reached.add(kind)
    assert not wrong, "\n".join(wrong)
    # The owner reaches their own comment and subscription by id on the same routes.
    assert {"comment", "subscription"} <= reached


def test_lists_show_only_the_readers_own_payments_and_subscription(
    world: World, make_reader: Callable[..., User]
) -> None:
    owner, intruder = Client(), Client()
    owner.force_login(make_reader("Owner Reader", subscribed=False))
    intruder.force_login(make_reader("Nosy Reader", subscribed=False))
    subscription = _subscribe(owner)
    theirs = json.loads(intruder.get("/api/plans/payments").content)
    assert theirs == []
    assert intruder.get("/api/plans/subscription").json() is None
    page = intruder.get("/accounts/subscription/").content.decode()
    assert subscription.payment_method not in page
    assert len(owner.get("/api/plans/payments").json()) == 1
