"""The e-mails a subscription needs, each sent once by the job or the action that causes it."""

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import Client

from broadsheet.accounts.models import User
from broadsheet.notifications.models import Preferences
from broadsheet.subscriptions import services
from broadsheet.subscriptions.demo import load_plans
from broadsheet.subscriptions.models import Plan, Subscription
from broadsheet.subscriptions.renewals import renew_due
from tests.notifications.conftest import Mailbox, html_part, text_part

pytestmark = pytest.mark.django_db

OK_CARD = {"number": "4242 4242 4242 4242", "exp": "12/30", "cvc": "123"}
FAILS_LATER_CARD = {"number": "4000 0000 0000 0341", "exp": "12/30", "cvc": "123"}
T0 = datetime(2026, 1, 31, 9, 0, tzinfo=UTC)
READER = "reader@example.com"


@pytest.fixture
def plans(db: Any) -> dict[str, Plan]:
    return load_plans()


@pytest.fixture
def reader(db: Any) -> User:
    return User.objects.create_user(READER, "a long enough password")


def subjects(mailbox: Mailbox) -> list[str]:
    return [str(m["Subject"]) for m in mailbox.to(READER)]


def test_a_trial_reminder_then_a_receipt_then_cancelled_then_ended_each_once(
    mailbox: Mailbox, committed: Callable[..., Any], plans: dict[str, Plan], reader: User
) -> None:
    subscription = committed(
        services.subscribe,
        reader,
        plan="digital",
        card=OK_CARD,
        idempotency_key=uuid.uuid4().hex,
        now=T0,
    )
    assert subscription.status == Subscription.Status.TRIALING
    assert mailbox.messages == []  # a trial takes no payment: no receipt

    committed(renew_due, T0 + timedelta(days=10))  # four days left: too early
    assert mailbox.messages == []
    for days in (11, 11, 12, 13):  # the job runs often; the reminder goes once
        committed(renew_due, T0 + timedelta(days=days, hours=1))
    [reminder] = mailbox.to(READER)
    assert reminder["Subject"] == "Your free trial of Digital ends on 14 February"
    assert "your card ending 4242 will be charged €6.00" in text_part(reminder)
    assert reminder["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    committed(renew_due, T0 + timedelta(days=14, minutes=1))
    committed(renew_due, T0 + timedelta(days=14, minutes=2))
    receipt = mailbox.to(READER)[1]
    assert receipt["Subject"] == "Your receipt: €6.00 for Digital"
    assert "Period: 14 February 2026 to 14 March 2026" in text_part(receipt)
    assert "€6.00" in html_part(receipt)

    committed(services.cancel, reader, subscription_id=subscription.pk, now=T0 + timedelta(20))
    cancelled = mailbox.to(READER)[2]
    assert cancelled["Subject"] == "Your Digital subscription is cancelled"
    assert "You keep full access until 14 March 2026" in text_part(cancelled)

    committed(renew_due, T0 + timedelta(days=42))
    committed(renew_due, T0 + timedelta(days=43))
    assert subjects(mailbox) == [
        "Your free trial of Digital ends on 14 February",
        "Your receipt: €6.00 for Digital",
        "Your Digital subscription is cancelled",
        "Your Digital subscription has ended",
    ]


def test_a_failed_payment_says_until_when_and_links_to_the_card_form_once(
    mailbox: Mailbox, committed: Callable[..., Any], plans: dict[str, Plan], reader: User
) -> None:
    subscription = committed(
        services.subscribe,
        reader,
        plan="digital",
        card=FAILS_LATER_CARD,
        idempotency_key=uuid.uuid4().hex,
        now=T0,
    )
    mailbox.clear()
    committed(renew_due, T0 + timedelta(days=14, minutes=1))
    committed(renew_due, T0 + timedelta(days=15, minutes=2))  # the retry fails too
    [failed] = mailbox.to(READER)
    assert failed["Subject"] == "Your payment for Digital did not go through"
    text = text_part(failed)
    assert "You keep full access until 21 February 2026" in text
    assert "Update your card: https://news.example.com/accounts/subscription/" in text

    committed(renew_due, T0 + timedelta(days=22))
    subscription.refresh_from_db()
    assert subscription.status == Subscription.Status.EXPIRED
    ended = mailbox.to(READER)[-1]
    assert ended["Subject"] == "Your Digital subscription has ended"
    assert "because we could not take the payment" in text_part(ended)
    assert len(mailbox.to(READER)) == 2


def test_a_first_payment_sends_a_receipt_at_once(
    mailbox: Mailbox, committed: Callable[..., Any], plans: dict[str, Plan], reader: User
) -> None:
    Plan.objects.filter(slug="digital-plus").update(trial_days=0)
    committed(
        services.subscribe,
        reader,
        plan="digital-plus",
        card=OK_CARD,
        idempotency_key=uuid.uuid4().hex,
        now=T0,
    )
    assert subjects(mailbox) == ["Your receipt: €9.00 for Digital Plus"]


def test_no_subscription_email_after_unsubscribing_from_them(
    mailbox: Mailbox, committed: Callable[..., Any], plans: dict[str, Plan], reader: User
) -> None:
    Plan.objects.filter(slug="digital-plus").update(trial_days=0)
    subscription = committed(
        services.subscribe,
        reader,
        plan="digital-plus",
        card=OK_CARD,
        idempotency_key=uuid.uuid4().hex,
        now=T0,
    )
    [receipt] = mailbox.to(READER)
    link = str(receipt["List-Unsubscribe"]).strip("<>").removeprefix("https://news.example.com")
    assert Client().post(link).status_code == 200
    assert not Preferences.objects.get(reader=reader).account_emails
    committed(services.cancel, reader, subscription_id=subscription.pk, now=T0 + timedelta(1))
    assert len(mailbox.to(READER)) == 1
