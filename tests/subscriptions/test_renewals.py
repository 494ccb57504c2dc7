"""The renewal job: run twice, run concurrently, as a command and as a task."""

import threading
from collections import Counter
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from broadsheet.accounts.models import User
from broadsheet.subscriptions import services
from broadsheet.subscriptions.models import Payment, Subscription, SubscriptionEvent
from broadsheet.subscriptions.renewals import renew_due
from tests.subscriptions.conftest import FAILS_LATER_CARD, OK_CARD, T0, new_key


def trialing_readers(plans, count, card=OK_CARD):
    subs = []
    for n in range(count):
        user = User.objects.create_user(f"r{n}@example.com", "a long enough password")
        subs.append(
            services.subscribe(user, plan="digital", card=card, idempotency_key=new_key(), now=T0)
        )
    return subs


def test_running_the_job_twice_charges_once(plans):
    subs = trialing_readers(plans, 3)
    later = T0 + timedelta(days=15)

    assert renew_due(later) == {"renewed": 3}
    assert renew_due(later) == {}
    assert Payment.objects.count() == 3
    assert SubscriptionEvent.objects.filter(cause="trial_converted").count() == 3
    for sub in subs:
        sub.refresh_from_db()
        assert sub.status == Subscription.Status.ACTIVE


def run_concurrently(target, times):
    results, errors = [], []

    def work():
        try:
            results.append(target())
        except Exception as error:  # surfaced below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return results


@pytest.mark.django_db(transaction=True)
def test_concurrent_runs_renew_each_subscription_once(plans):
    subs = trialing_readers(plans, 4)
    later = T0 + timedelta(days=15)

    results = run_concurrently(lambda: renew_due(later), 4)

    assert sum(results, Counter()) == {"renewed": 4}
    assert Payment.objects.count() == 4
    assert SubscriptionEvent.objects.filter(cause="trial_converted").count() == 4
    assert {p.subscription_id for p in Payment.objects.all()} == {s.pk for s in subs}


@pytest.mark.django_db(transaction=True)
def test_concurrent_runs_move_a_failed_payment_to_past_due_once(plans):
    (sub,) = trialing_readers(plans, 1, card=FAILS_LATER_CARD)

    run_concurrently(lambda: renew_due(T0 + timedelta(days=15)), 3)

    sub.refresh_from_db()
    assert (sub.status, sub.failed_attempts) == (Subscription.Status.PAST_DUE, 1)
    assert Payment.objects.filter(status="failed").count() == 1


def test_command_reports_what_it_did(plans):
    trialing_readers(plans, 2)
    out = StringIO()

    call_command("renew_subscriptions", "--now", "2026-02-20T00:00:00+00:00", stdout=out)
    assert out.getvalue().strip() == "Subscriptions handled: 2 renewed."

    out = StringIO()
    call_command("renew_subscriptions", "--now", "2026-02-20T00:00:00+00:00", stdout=out)
    assert out.getvalue().strip() == "Nothing was due."


def test_command_refuses_a_naive_or_malformed_time(plans):
    with pytest.raises(CommandError, match="time zone"):
        call_command("renew_subscriptions", "--now", "2026-02-20T00:00:00")
    with pytest.raises(CommandError, match="ISO 8601"):
        call_command("renew_subscriptions", "--now", "next tuesday")


def test_task_renews_what_is_due_now(plans):
    from broadsheet.subscriptions.tasks import renew_subscriptions

    (sub,) = trialing_readers(plans, 1)
    Subscription.objects.filter(pk=sub.pk).update(current_period_end=T0)  # due long ago

    result = renew_subscriptions.enqueue()

    assert result.return_value == {"renewed": 1}
    sub.refresh_from_db()
    assert sub.status == Subscription.Status.ACTIVE
