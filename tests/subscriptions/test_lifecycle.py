"""Every lifecycle transition, with time moved forward by passing `now`."""

from datetime import timedelta

import pytest

from broadsheet.core.exceptions import ServiceError
from broadsheet.subscriptions import services
from broadsheet.subscriptions.models import Payment, Plan, Subscription, SubscriptionEvent
from broadsheet.subscriptions.renewals import renew_due
from tests.subscriptions.conftest import FAILS_LATER_CARD, OK_CARD, T0, new_key

Status = Subscription.Status
Cause = SubscriptionEvent.Cause
GRACE = timedelta(days=7)


def subscribe(reader, plan, card=OK_CARD, now=T0):
    return services.subscribe(reader, plan=plan.slug, card=card, idempotency_key=new_key(), now=now)


def causes(subscription):
    return list(subscription.events.values_list("cause", flat=True))


def refreshed(subscription):
    subscription.refresh_from_db()
    return subscription


def used_trial(reader, plans, now=T0 - timedelta(days=400)):
    """Give `reader` an old, ended trial so that their next subscription is paid at once."""
    Subscription.objects.create(
        reader=reader, plan=plans["digital"], status=Status.CANCELED, started_at=now,
        current_period_end=now + timedelta(days=14), trial_ends_at=now + timedelta(days=14),
        ended_at=now + timedelta(days=14),
    )  # fmt: skip


def test_first_subscription_starts_a_trial_without_charging(plans, reader):
    sub = subscribe(reader, plans["digital-plus"])

    assert sub.status == Status.TRIALING
    assert sub.current_period_end == T0 + timedelta(days=14) == sub.trial_ends_at
    assert causes(sub) == [Cause.TRIAL_STARTED]
    assert not Payment.objects.exists()
    ent = services.entitlements(reader, now=T0 + timedelta(days=1))
    assert ent.plan == plans["digital-plus"]
    assert ent.premium_stories
    assert ent.may_comment  # the demo's Digital Plus lets trial readers comment


def test_a_trial_comments_only_if_the_plan_says_so(plans, reader):
    Plan.objects.filter(slug="digital-plus").update(trial_includes_comments=False)
    sub = subscribe(reader, Plan.objects.get(slug="digital-plus"))

    assert not services.entitlements(reader, now=T0).may_comment
    assert services.entitlements(reader, now=T0).premium_stories

    renew_due(T0 + timedelta(days=14))
    assert refreshed(sub).status == Status.ACTIVE
    assert services.entitlements(reader, now=T0 + timedelta(days=15)).may_comment


def test_trial_converts_to_active_with_the_first_charge(plans, reader):
    sub = subscribe(reader, plans["digital"])
    trial_end = sub.trial_ends_at

    assert renew_due(trial_end - timedelta(seconds=1)) == {}
    assert renew_due(trial_end + timedelta(hours=1)) == {"renewed": 1}

    sub = refreshed(sub)
    assert sub.status == Status.ACTIVE
    assert sub.current_period_start == trial_end
    assert sub.current_period_end == trial_end + timedelta(days=28)  # 14 Feb to 14 March
    payment = Payment.objects.get()
    assert (payment.status, payment.amount_cents, payment.kind) == ("succeeded", 600, "renewal")
    assert causes(sub) == [Cause.TRIAL_STARTED, Cause.TRIAL_CONVERTED]


def test_second_subscription_is_paid_at_once_without_a_trial(plans, reader):
    used_trial(reader, plans)
    sub = subscribe(reader, plans["digital-plus"])

    assert sub.status == Status.ACTIVE
    assert sub.trial_ends_at is None
    assert sub.current_period_end.date().isoformat() == "2026-02-28"  # from 31 January
    payment = Payment.objects.get()
    assert (payment.amount_cents, payment.kind, payment.card_last4) == (900, "first", "4242")
    assert causes(sub) == [Cause.SUBSCRIBED]


def test_active_renews_each_period_without_drifting_off_the_31st(plans, reader):
    used_trial(reader, plans)
    sub = subscribe(reader, plans["digital"])

    renew_due(T0 + timedelta(days=29))  # 1 March
    assert refreshed(sub).current_period_end.date().isoformat() == "2026-03-31"
    renew_due(T0 + timedelta(days=60))  # 1 April
    sub = refreshed(sub)
    assert sub.current_period_end.date().isoformat() == "2026-04-30"
    assert sub.status == Status.ACTIVE
    assert Payment.objects.filter(status="succeeded").count() == 3
    assert causes(sub) == [Cause.SUBSCRIBED, Cause.RENEWED, Cause.RENEWED]


def test_failed_renewal_goes_past_due_keeps_access_in_grace_then_expires(plans, reader):
    used_trial(reader, plans)
    sub = subscribe(reader, plans["digital-plus"], card=FAILS_LATER_CARD)
    due_at = sub.current_period_end
    assert sub.status == Status.ACTIVE  # the card worked at checkout

    assert renew_due(due_at + timedelta(minutes=5)) == {"past_due": 1}
    sub = refreshed(sub)
    assert sub.status == Status.PAST_DUE
    assert sub.past_due_since == due_at
    failed = Payment.objects.get(status="failed")
    assert failed.failure_message == "Your card was declined."
    # Within the grace period the reader keeps everything.
    assert services.entitlements(reader, now=due_at + timedelta(days=3)).may_comment

    assert renew_due(due_at + timedelta(days=1, minutes=10)) == {"retry_failed": 1}
    assert refreshed(sub).failed_attempts == 2

    assert renew_due(due_at + GRACE + timedelta(minutes=1)) == {"expired": 1}
    sub = refreshed(sub)
    assert sub.status == Status.EXPIRED
    assert sub.ended_at == due_at + GRACE
    ent = services.entitlements(reader, now=due_at + GRACE + timedelta(days=1))
    assert ent.plan == plans["free"]
    assert not ent.may_comment
    assert (ent.lapsed_at, ent.lapsed_plan) == (due_at + GRACE, plans["digital-plus"])
    assert causes(sub) == [
        Cause.SUBSCRIBED, Cause.PAYMENT_FAILED, Cause.GRACE_ENDED,
    ]  # fmt: skip


def test_grace_period_is_enforced_even_before_the_job_runs(plans, reader):
    used_trial(reader, plans)
    sub = subscribe(reader, plans["digital-plus"], card=FAILS_LATER_CARD)
    renew_due(sub.current_period_end)
    sub = refreshed(sub)

    late = sub.past_due_since + GRACE + timedelta(hours=1)
    ent = services.entitlements(reader, now=late)
    assert not ent.premium_stories
    assert ent.lapsed_at == sub.past_due_since + GRACE


def test_past_due_recovers_when_a_retry_succeeds(plans, reader):
    used_trial(reader, plans)
    sub = subscribe(reader, plans["digital"], card=FAILS_LATER_CARD)
    due_at = sub.current_period_end
    renew_due(due_at)
    # The reader's bank lifts the block: the provider now accepts the saved card.
    Subscription.objects.filter(pk=sub.pk).update(payment_method="card_test_ok_4242")

    assert renew_due(due_at + timedelta(days=1)) == {"recovered": 1}
    sub = refreshed(sub)
    assert sub.status == Status.ACTIVE
    assert sub.current_period_start == due_at  # the reader paid for the time they kept access
    assert sub.past_due_since is None
    assert Cause.PAYMENT_RECOVERED in causes(sub)


def test_past_due_recovers_at_once_with_a_new_card(plans, reader):
    used_trial(reader, plans)
    sub = subscribe(reader, plans["digital"], card=FAILS_LATER_CARD)
    renew_due(sub.current_period_end)

    services.update_card(
        reader,
        subscription_id=sub.pk,
        card=OK_CARD,
        now=sub.current_period_end + timedelta(hours=2),
    )
    sub = refreshed(sub)
    assert sub.status == Status.ACTIVE
    assert sub.card_last4 == "4242"
    assert causes(sub)[-2:] == [Cause.CARD_UPDATED, Cause.PAYMENT_RECOVERED]


def test_cancel_keeps_access_to_period_end_then_ends(plans, reader):
    used_trial(reader, plans)
    sub = subscribe(reader, plans["digital-plus"])
    end = sub.current_period_end

    services.cancel(reader, subscription_id=sub.pk, now=T0 + timedelta(days=2))
    sub = refreshed(sub)
    assert sub.status == Status.ACTIVE
    assert sub.cancel_at_period_end
    assert services.entitlements(reader, now=end - timedelta(hours=1)).may_comment

    assert renew_due(end + timedelta(minutes=1)) == {"canceled": 1}
    sub = refreshed(sub)
    assert (sub.status, sub.ended_at) == (Status.CANCELED, end)
    assert Payment.objects.count() == 1  # nothing charged at the end
    ent = services.entitlements(reader, now=end + timedelta(days=1))
    assert (ent.may_comment, ent.lapsed_at, ent.lapsed_plan) == (False, end, plans["digital-plus"])
    assert causes(sub) == [Cause.SUBSCRIBED, Cause.CANCEL_REQUESTED, Cause.PERIOD_ENDED]


def test_canceling_a_trial_ends_it_without_a_charge(plans, reader):
    sub = subscribe(reader, plans["digital"])
    services.cancel(reader, subscription_id=sub.pk, now=T0 + timedelta(days=1))

    assert renew_due(T0 + timedelta(days=15)) == {"canceled": 1}
    assert refreshed(sub).status == Status.CANCELED
    assert not Payment.objects.exists()


def test_resume_before_the_end_keeps_renewing(plans, reader):
    used_trial(reader, plans)
    sub = subscribe(reader, plans["digital"])
    services.cancel(reader, subscription_id=sub.pk, now=T0 + timedelta(days=1))
    services.resume(reader, subscription_id=sub.pk, now=T0 + timedelta(days=2))

    assert not refreshed(sub).cancel_at_period_end
    assert renew_due(sub.current_period_end) == {"renewed": 1}
    assert causes(sub)[1:3] == [Cause.CANCEL_REQUESTED, Cause.RESUMED]


def test_resume_after_the_end_is_refused(plans, reader):
    used_trial(reader, plans)
    sub = subscribe(reader, plans["digital"])
    services.cancel(reader, subscription_id=sub.pk, now=T0 + timedelta(days=1))

    with pytest.raises(ServiceError) as refused:
        services.resume(reader, subscription_id=sub.pk, now=sub.current_period_end + timedelta(1))
    assert refused.value.code == "subscription_ended"
    assert refreshed(sub).cancel_at_period_end


def test_canceling_when_overdue_ends_at_once(plans, reader):
    used_trial(reader, plans)
    sub = subscribe(reader, plans["digital"], card=FAILS_LATER_CARD)
    renew_due(sub.current_period_end)
    moment = sub.current_period_end + timedelta(days=1)

    services.cancel(reader, subscription_id=sub.pk, now=moment)
    sub = refreshed(sub)
    assert (sub.status, sub.ended_at) == (Status.CANCELED, moment)
    assert renew_due(moment + timedelta(days=1)) == {}


def test_upgrade_applies_now_and_charges_the_prorated_difference(plans, reader):
    used_trial(reader, plans)
    sub = subscribe(reader, plans["digital"])  # 31 Jan to 28 Feb: 28 days
    halfway = T0 + timedelta(days=14)

    quote = services.quote_change(sub, plans["digital-plus"], now=halfway)
    assert (quote.immediate, quote.amount_cents) == (True, 150)  # (900 - 600) / 2
    services.change_plan(reader, subscription_id=sub.pk, plan="digital-plus", now=halfway)

    sub = refreshed(sub)
    assert sub.plan == plans["digital-plus"]
    assert sub.current_period_end.date().isoformat() == "2026-02-28"  # renewal date unchanged
    upgrade = Payment.objects.get(kind="upgrade")
    assert upgrade.amount_cents == 150
    assert services.entitlements(reader, now=halfway).may_comment
    assert causes(sub) == [Cause.SUBSCRIBED, Cause.UPGRADED]


def test_upgrade_during_a_trial_switches_without_a_charge(plans, reader):
    sub = subscribe(reader, plans["digital"])
    services.change_plan(reader, subscription_id=sub.pk, plan="digital-plus", now=T0)

    sub = refreshed(sub)
    assert (sub.plan, sub.status) == (plans["digital-plus"], Status.TRIALING)
    assert not Payment.objects.exists()


def test_downgrade_waits_for_the_period_end(plans, reader):
    used_trial(reader, plans)
    sub = subscribe(reader, plans["digital-plus"])
    services.change_plan(reader, subscription_id=sub.pk, plan="digital", now=T0 + timedelta(1))

    sub = refreshed(sub)
    assert (sub.plan, sub.pending_plan) == (plans["digital-plus"], plans["digital"])
    assert services.entitlements(reader, now=T0 + timedelta(days=2)).may_comment

    renew_due(sub.current_period_end)
    sub = refreshed(sub)
    assert (sub.plan, sub.pending_plan) == (plans["digital"], None)
    assert Payment.objects.filter(kind="renewal").get().amount_cents == 600
    assert not services.entitlements(reader, now=sub.current_period_start).may_comment
    assert causes(sub)[-2:] == [Cause.DOWNGRADED, Cause.RENEWED]


def test_choosing_the_current_plan_withdraws_a_scheduled_downgrade(plans, reader):
    used_trial(reader, plans)
    sub = subscribe(reader, plans["digital-plus"])
    services.change_plan(reader, subscription_id=sub.pk, plan="digital", now=T0)
    services.change_plan(reader, subscription_id=sub.pk, plan="digital-plus", now=T0)

    assert refreshed(sub).pending_plan is None
    renew_due(sub.current_period_end)
    assert refreshed(sub).plan == plans["digital-plus"]
    assert Cause.DOWNGRADE_WITHDRAWN in causes(sub)


def test_every_transition_records_time_statuses_and_actor(plans, reader):
    sub = subscribe(reader, plans["digital"])
    renew_due(sub.current_period_end)
    first, second = sub.events.all()

    assert (first.at, first.from_status, first.to_status, first.actor) == (
        T0, "", Status.TRIALING, reader,
    )  # fmt: skip
    assert (second.from_status, second.to_status, second.actor) == (
        Status.TRIALING, Status.ACTIVE, None,
    )  # fmt: skip
