"""The offline provider behaves like a processor's test mode; its webhooks are signed."""

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from broadsheet.subscriptions import services
from broadsheet.subscriptions.models import Payment, ReceivedWebhook, Subscription
from broadsheet.subscriptions.payments import PaymentError, WebhookEvent, provider
from broadsheet.subscriptions.payments.offline import SIGNATURE_HEADER, OfflineProvider, luhn_valid
from tests.subscriptions.conftest import OK_CARD, new_key


def test_the_setting_chooses_the_provider():
    assert isinstance(provider(), OfflineProvider)


@pytest.mark.parametrize(
    ("number", "at_checkout", "at_renewal"),
    [
        ("4242424242424242", True, True),
        ("4000000000000341", True, False),
    ],
)
def test_test_cards_at_checkout_and_at_renewal(number, at_checkout, at_renewal):
    card = OfflineProvider().save_card({"number": number})
    kwargs = {"idempotency_key": new_key(), "description": "test"}
    assert (
        OfflineProvider().charge(card.token, 900, "EUR", off_session=False, **kwargs).succeeded
        is at_checkout
    )
    assert (
        OfflineProvider().charge(card.token, 900, "EUR", off_session=True, **kwargs).succeeded
        is at_renewal
    )


def test_declining_cards_are_refused_when_saved():
    with pytest.raises(PaymentError, match="declined"):
        OfflineProvider().save_card({"number": "4000000000000002"})


def test_the_same_idempotency_key_gives_the_same_charge():
    card = OfflineProvider().save_card({"number": "4242424242424242"})
    first = OfflineProvider().charge(
        card.token, 900, "EUR", idempotency_key="k" * 20, description="", off_session=True
    )
    again = OfflineProvider().charge(
        card.token, 900, "EUR", idempotency_key="k" * 20, description="", off_session=True
    )
    assert first.reference == again.reference


@given(st.text(alphabet="0123456789", min_size=12, max_size=19))
def test_a_number_failing_the_luhn_check_is_never_accepted(number):
    if luhn_valid(number):
        return
    with pytest.raises(PaymentError) as refused:
        OfflineProvider().save_card({"number": number})
    assert refused.value.code == "invalid_number"


# --- webhooks ------------------------------------------------------------------------------


def post_webhook(client, payload, *, signature=None, timestamp=None):
    body = json.dumps(payload).encode()
    header = signature if signature is not None else OfflineProvider().sign(body, timestamp)
    return client.post(
        "/payments/webhook/", body, content_type="application/json",
        headers={SIGNATURE_HEADER: header},
    )  # fmt: skip


@pytest.fixture
def paid(plans, reader):
    Subscription.objects.create(
        reader=reader, plan=plans["digital"], status="expired", started_at="2025-01-01T00:00Z",
        current_period_end="2025-01-15T00:00Z", trial_ends_at="2025-01-15T00:00Z",
        ended_at="2025-01-15T00:00Z",
    )  # fmt: skip
    services.subscribe(reader, plan="digital", card=OK_CARD, idempotency_key=new_key())
    return Payment.objects.get()


def test_a_signed_refund_webhook_marks_the_payment_refunded(client, paid):
    event = {"id": "evt_1", "type": "charge.refunded", "data": {"reference": paid.reference}}
    response = post_webhook(client, event)

    assert response.status_code == 200
    assert response.json() == {"received": "evt_1", "outcome": "refunded"}
    paid.refresh_from_db()
    assert paid.status == "refunded"
    assert post_webhook(client, event).json()["outcome"] == "duplicate"  # a resend is harmless


def test_other_event_types_are_acknowledged_and_ignored(client, paid):
    response = post_webhook(client, {"id": "evt_2", "type": "customer.created", "data": {}})
    assert response.json()["outcome"] == "ignored"


@pytest.mark.parametrize(
    ("signature", "age", "why"),
    [
        ("t=1,v1=deadbeef", 0, "signature does not match"),
        ("", 0, "missing or malformed signature header"),
        (None, 3600, "signature is too old"),
    ],
)
def test_unsigned_forged_or_stale_webhooks_are_refused(client, paid, signature, age, why):
    event = {"id": "evt_3", "type": "charge.refunded", "data": {"reference": paid.reference}}
    response = post_webhook(client, event, signature=signature, timestamp=int(time.time()) - age)

    assert response.status_code == 400
    assert why in response.json()["detail"]
    paid.refresh_from_db()
    assert paid.status == "succeeded"


def test_a_signed_body_that_is_not_an_event_is_refused(client, paid):
    body = b"[1, 2, 3]"
    response = client.post(
        "/payments/webhook/", body, content_type="application/json",
        headers={SIGNATURE_HEADER: OfflineProvider().sign(body)},
    )  # fmt: skip
    assert response.status_code == 400


def signed_post(client, body: bytes, header: str):
    return client.post(
        "/payments/webhook/", body, content_type="application/json",
        headers={SIGNATURE_HEADER: header},
    )  # fmt: skip


def test_a_replayed_webhook_changes_nothing(client, paid):
    """The same signed request sent again, within the signature's tolerance."""
    body = json.dumps(
        {"id": "evt_r", "type": "charge.refunded", "data": {"reference": paid.reference}}
    ).encode()
    header = OfflineProvider().sign(body)
    assert signed_post(client, body, header).json()["outcome"] == "refunded"
    Payment.objects.filter(pk=paid.pk).update(status="succeeded")  # e.g. the refund was undone

    replay = signed_post(client, body, header)

    assert replay.status_code == 200
    assert replay.json() == {"received": "evt_r", "outcome": "duplicate"}
    paid.refresh_from_db()
    assert paid.status == "succeeded"


def test_an_event_re_sent_with_a_fresh_signature_is_applied_once(client, paid):
    event = {"id": "evt_f", "type": "charge.refunded", "data": {"reference": paid.reference}}
    assert post_webhook(client, event, timestamp=int(time.time()) - 200).json()["outcome"] == (
        "refunded"
    )
    Payment.objects.filter(pk=paid.pk).update(status="succeeded")
    assert post_webhook(client, event).json()["outcome"] == "duplicate"
    paid.refresh_from_db()
    assert paid.status == "succeeded"


def test_a_webhook_from_the_future_is_refused_too(client, paid):
    event = {"id": "evt_t", "type": "charge.refunded", "data": {"reference": paid.reference}}
    response = post_webhook(client, event, timestamp=int(time.time()) + 3600)
    assert response.status_code == 400
    assert response.json()["code"] == "webhook_refused"
    paid.refresh_from_db()
    assert paid.status == "succeeded"


def test_a_refused_webhook_is_not_remembered_so_a_genuine_one_still_applies(client, paid):
    event = {"id": "evt_g", "type": "charge.refunded", "data": {"reference": paid.reference}}
    assert post_webhook(client, event, signature="t=1,v1=forged").status_code == 400
    assert post_webhook(client, event).json()["outcome"] == "refunded"


def test_event_ids_are_forgotten_after_the_retention(client, paid, settings):
    settings.PAYMENT_WEBHOOK_RETENTION_DAYS = 30
    old = timezone.now() - timedelta(days=31)
    services.handle_webhook(WebhookEvent(id="evt_old", type="customer.created"), now=old)
    services.handle_webhook(WebhookEvent(id="evt_new", type="customer.created"))
    assert set(ReceivedWebhook.objects.values_list("event_id", flat=True)) == {"evt_new"}


@pytest.mark.django_db(transaction=True)
def test_two_processes_receiving_the_same_event_apply_it_once(paid):
    """Each thread has its own database connection, as each app process would."""
    body = json.dumps(
        {"id": "evt_c", "type": "charge.refunded", "data": {"reference": paid.reference}}
    ).encode()
    header = OfflineProvider().sign(body)
    start = threading.Barrier(4)

    def deliver(_: int) -> str:
        start.wait()
        try:
            return signed_post(Client(), body, header).json()["outcome"]
        finally:
            connection.close()

    with ThreadPoolExecutor(4) as pool:
        outcomes = sorted(pool.map(deliver, range(4)))

    assert outcomes == ["duplicate", "duplicate", "duplicate", "refunded"]
    assert ReceivedWebhook.objects.filter(event_id="evt_c").count() == 1
