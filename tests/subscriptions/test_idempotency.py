"""Double clicks and two tabs: one subscription and one charge, never two."""

import threading

import pytest
from django.db import connection

from broadsheet.core.exceptions import ServiceError
from broadsheet.subscriptions import services
from broadsheet.subscriptions.models import Payment, Subscription
from tests.subscriptions.conftest import OK_CARD, T0, new_key


def subscribe(reader, key, plan="digital-plus"):
    return services.subscribe(reader, plan=plan, card=OK_CARD, idempotency_key=key, now=T0)


def test_the_same_form_sent_twice_returns_the_same_subscription(plans, reader):
    key = new_key()
    Subscription.objects.create(  # an old trial: this subscription is charged at once
        reader=reader, plan=plans["digital"], status="expired", started_at=T0,
        current_period_end=T0, trial_ends_at=T0, ended_at=T0,
    )  # fmt: skip

    first = subscribe(reader, key)
    second = subscribe(reader, key)

    assert first.pk == second.pk
    assert Subscription.objects.filter(status="active").count() == 1
    assert Payment.objects.count() == 1


def test_a_second_tab_with_its_own_form_is_refused(plans, reader):
    subscribe(reader, new_key())

    with pytest.raises(ServiceError) as refused:
        subscribe(reader, new_key(), plan="digital")
    assert refused.value.code == "already_subscribed"
    assert "Digital Plus" in refused.value.message
    assert Subscription.objects.count() == 1


def test_someone_elses_key_is_refused(plans, reader, other_reader):
    key = new_key()
    subscribe(reader, key)

    with pytest.raises(ServiceError) as refused:
        subscribe(other_reader, key)
    assert refused.value.code == "invalid_key"
    assert not other_reader.subscriptions.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("same_key", [True, False], ids=["double-click", "two-tabs"])
def test_concurrent_subscribes_make_one_subscription_and_one_charge(plans, reader, same_key):
    Subscription.objects.create(
        reader=reader, plan=plans["digital"], status="expired", started_at=T0,
        current_period_end=T0, trial_ends_at=T0, ended_at=T0,
    )  # fmt: skip
    key = new_key()
    outcomes = []

    def click():
        try:
            outcomes.append(subscribe(reader, key if same_key else new_key()).pk)
        except ServiceError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=click) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    current = Subscription.objects.get(status="active")
    assert Payment.objects.count() == 1
    if same_key:
        assert outcomes == [current.pk] * 4
    else:
        assert sorted(map(str, outcomes)) == sorted([str(current.pk)] + ["already_subscribed"] * 3)
