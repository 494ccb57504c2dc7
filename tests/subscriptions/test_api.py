"""The subscriptions API: the same rules and refusals as the pages, as JSON."""

import pytest

from broadsheet.subscriptions import services
from broadsheet.subscriptions.models import Payment, Plan, Subscription
from tests.subscriptions.conftest import OK_CARD, new_key


def subscribe_body(plan="digital-plus", number="4242424242424242", **extra):
    return {"plan": plan, "card_number": number, "exp": "12/30", "cvc": "123",
            "idempotency_key": new_key(), **extra}  # fmt: skip


def test_lists_the_plans_on_offer(client, plans):
    Plan.objects.filter(slug="digital").update(is_retired=True)
    body = client.get("/api/plans/").json()

    assert [plan["slug"] for plan in body] == ["free", "digital-plus"]
    assert body[1]["price_cents"] == 900
    assert body[1]["may_comment"] is True


def test_entitlements_of_a_visitor_and_a_subscriber(client, plans, reader):
    assert client.get("/api/plans/entitlements").json() == {
        "plan": "free", "plan_name": "Registered", "may_comment": False, "premium_stories": False,
        "monthly_free_premium": 1, "lapsed_at": None, "lapsed_plan": None,
    }  # fmt: skip
    services.subscribe(reader, plan="digital-plus", card=OK_CARD, idempotency_key=new_key())
    client.force_login(reader)

    body = client.get("/api/plans/entitlements").json()
    assert (body["plan"], body["may_comment"], body["premium_stories"]) == (
        "digital-plus", True, True,
    )  # fmt: skip


def test_my_subscription_needs_sign_in_and_is_null_without_one(client, plans, reader):
    response = client.get("/api/plans/subscription")
    assert response.status_code == 401
    assert response.json()["code"] == "sign_in_required"

    client.force_login(reader)
    assert client.get("/api/plans/subscription").json() is None


def test_subscribe_cancel_and_resume(client, plans, reader):
    client.force_login(reader)
    body = subscribe_body()

    created = client.post("/api/plans/subscription", body, content_type="application/json")
    assert created.status_code == 201
    sub = created.json()
    assert (sub["plan"]["slug"], sub["status"], sub["card_last4"]) == (
        "digital-plus", "trialing", "4242",
    )  # fmt: skip
    again = client.post("/api/plans/subscription", body, content_type="application/json")
    assert again.status_code == 201
    assert again.json()["id"] == sub["id"]

    canceled = client.post(f"/api/plans/subscription/{sub['id']}/cancel")
    assert canceled.json()["cancel_at_period_end"] is True
    assert canceled.json()["access_ends_at"] == sub["current_period_end"]
    twice = client.post(f"/api/plans/subscription/{sub['id']}/cancel")
    assert (twice.status_code, twice.json()["code"]) == (409, "already_canceled")

    resumed = client.post(f"/api/plans/subscription/{sub['id']}/resume")
    assert resumed.json()["cancel_at_period_end"] is False
    assert client.get("/api/plans/subscription").json()["id"] == sub["id"]


def test_change_plan(client, plans, reader):
    sub = services.subscribe(reader, plan="digital-plus", card=OK_CARD, idempotency_key=new_key())
    client.force_login(reader)

    body = client.post(
        f"/api/plans/subscription/{sub.pk}/change", {"plan": "digital"},
        content_type="application/json",
    ).json()  # fmt: skip
    assert (body["plan"]["slug"], body["pending_plan"]) == ("digital-plus", "digital")


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (subscribe_body(number="4000000000000002"), 402, "card_declined"),
        (subscribe_body(number="1234"), 422, "invalid_number"),
        (subscribe_body(plan="no-such-plan"), 404, "unknown_plan"),
        (subscribe_body(plan="free"), 400, "plan_is_free"),
        (subscribe_body(expected_price_cents=1), 409, "price_changed"),
        (subscribe_body(idempotency_key="short"), 400, "invalid_key"),
    ],
)
def test_subscribe_refusals_change_nothing(client, plans, reader, body, status, code):
    client.force_login(reader)
    response = client.post("/api/plans/subscription", body, content_type="application/json")

    assert response.status_code == status
    assert response.json()["code"] == code
    assert response.json()["detail"]
    assert not Subscription.objects.exists()
    assert not Payment.objects.exists()


def test_a_retired_plan_cannot_be_bought(client, plans, reader):
    Plan.objects.filter(slug="digital").update(is_retired=True)
    client.force_login(reader)
    response = client.post(
        "/api/plans/subscription", subscribe_body(plan="digital"), content_type="application/json"
    )
    assert (response.status_code, response.json()["code"]) == (409, "plan_retired")


def test_someone_elses_subscription_is_not_found(client, plans, reader, other_reader):
    theirs = services.subscribe(
        other_reader, plan="digital", card=OK_CARD, idempotency_key=new_key()
    )
    client.force_login(reader)

    for action in ("cancel", "resume"):
        response = client.post(f"/api/plans/subscription/{theirs.pk}/{action}")
        assert (response.status_code, response.json()["code"]) == (404, "not_found")
    theirs.refresh_from_db()
    assert not theirs.cancel_at_period_end


def test_payment_history(client, plans, reader):
    Subscription.objects.create(
        reader=reader, plan=plans["digital"], status="expired", started_at="2025-01-01T00:00Z",
        current_period_end="2025-01-15T00:00Z", trial_ends_at="2025-01-15T00:00Z",
        ended_at="2025-01-15T00:00Z",
    )  # fmt: skip
    services.subscribe(reader, plan="digital", card=OK_CARD, idempotency_key=new_key())
    client.force_login(reader)

    (payment,) = client.get("/api/plans/payments").json()
    assert (payment["plan"], payment["amount_cents"], payment["status"]) == (
        "digital", 600, "succeeded",
    )  # fmt: skip
