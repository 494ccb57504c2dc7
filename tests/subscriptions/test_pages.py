"""The plans page, checkout, plan changes and the account's Subscription section, over HTTP."""

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from broadsheet.subscriptions import services
from broadsheet.subscriptions.models import Payment, Plan, Subscription
from broadsheet.subscriptions.renewals import renew_due
from tests.subscriptions.conftest import FAILS_LATER_CARD, OK_CARD, new_key


def checkout_data(plan, card=OK_CARD, **overrides):
    data = {
        "number": card["number"], "exp": card["exp"], "cvc": card["cvc"],
        "plan_id": plan.pk, "price_cents": plan.price_cents, "idempotency_key": new_key(),
    }  # fmt: skip
    data.update(overrides)
    return data


def old_trial(reader, plans):
    now = timezone.now() - timedelta(days=400)
    Subscription.objects.create(
        reader=reader, plan=plans["digital"], status="expired", started_at=now,
        current_period_end=now, trial_ends_at=now, ended_at=now,
    )  # fmt: skip


# --- /plans/ ---------------------------------------------------------------------------


def test_plans_page_shows_each_plan_with_price_trial_and_button(client, plans):
    page = client.get("/plans/").content.decode()

    for name in ("Registered", "Digital", "Digital Plus"):
        assert f'class="plan__name">{name}' in page
    assert "€6.00" in page
    assert "€9.00" in page
    assert "Start your 14-day free trial" in page
    assert "/plans/digital-plus/checkout/" in page
    assert "Your plan" not in page


def test_plans_page_marks_the_readers_plan(client, plans, reader):
    client.force_login(reader)
    page = client.get("/plans/").content.decode()
    assert (
        'plan plan--current" aria-current="true">\n      <h2 class="plan__name">Registered' in page
    )

    services.subscribe(reader, plan="digital", card=OK_CARD, idempotency_key=new_key())
    page = client.get("/plans/").content.decode()
    assert '<h2 class="plan__name">Digital <span class="badge badge--current">Your plan' in page
    assert "Upgrade to Digital Plus" in page
    assert "/plans/digital-plus/change/" in page


def test_retired_and_hidden_plans_are_not_listed(client, plans):
    Plan.objects.filter(slug="digital").update(is_retired=True)
    Plan.objects.create(name="Staff", slug="staff", is_public=False, premium_stories=True)

    page = client.get("/plans/").content.decode()
    assert "Digital Plus" in page
    assert 'plan__name">Digital<' not in page
    assert "Staff" not in page


# --- checkout --------------------------------------------------------------------------


def test_checkout_needs_an_account(client, plans):
    response = client.get("/plans/digital/checkout/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/sign-in/?next=/plans/digital/checkout/")


def test_checkout_lists_test_cards_in_development_only(client, plans, reader, settings):
    client.force_login(reader)
    page = client.get("/plans/digital-plus/checkout/").content.decode()
    assert "4000 0000 0000 0341" in page
    assert "Start my free trial" in page

    settings.PAYMENT_SHOW_TEST_CARDS = False
    assert "4000 0000 0000 0341" not in client.get("/plans/digital-plus/checkout/").content.decode()


def test_checkout_subscribes_and_returns_to_the_story(client, plans, reader):
    client.force_login(reader)
    response = client.post(
        "/plans/digital-plus/checkout/",
        {**checkout_data(plans["digital-plus"]), "next": "/story/some-story/"},
    )

    assert response.status_code == 302
    assert response["Location"] == "/story/some-story/"
    sub = Subscription.objects.get(reader=reader)
    assert (sub.plan.slug, sub.status, sub.card_last4) == ("digital-plus", "trialing", "4242")


def test_checkout_ignores_a_next_address_on_another_site(client, plans, reader):
    client.force_login(reader)
    response = client.post(
        "/plans/digital/checkout/",
        {**checkout_data(plans["digital"]), "next": "https://evil.example/"},
    )
    assert response["Location"] == "/accounts/subscription/"


def test_a_paid_subscription_shows_in_the_payment_history(client, plans, reader):
    old_trial(reader, plans)
    client.force_login(reader)
    client.post("/plans/digital/checkout/", checkout_data(plans["digital"]))

    page = client.get("/accounts/subscription/").content.decode()
    assert "<strong>Digital</strong>" in page
    assert "Next renewal" in page
    assert "€6.00" in page
    assert "Paid · card 4242" in page


@pytest.mark.parametrize(
    ("card", "message"),
    [
        ({"number": "4000 0000 0000 0002"}, "Your card was declined."),
        ({"number": "4000 0000 0000 9995"}, "Your card was declined: insufficient funds."),
        ({"number": "4242 4242 4242 4241"}, "That card number is not valid."),
        (
            {"number": "5555 5555 5555 4444"},
            "Payments are in test mode: use one of the test cards.",
        ),
        ({"number": "4242"}, "Enter the card number: 12 to 19 digits."),
        ({"exp": "01/20"}, "This card has expired."),
        ({"exp": "13/30"}, "Enter the expiry date as MM/YY"),
        ({"cvc": "12a"}, "Enter the 3 or 4 digits"),
    ],
)
def test_checkout_refuses_a_bad_card_and_changes_nothing(client, plans, reader, card, message):
    client.force_login(reader)
    response = client.post(
        "/plans/digital-plus/checkout/", {**checkout_data(plans["digital-plus"]), **card}
    )

    assert response.status_code in (400, 402)
    page = response.content.decode()
    assert message in page
    assert "4000 0000 0000 0002" not in page.split("Test mode")[0]  # the number is not echoed
    assert not Subscription.objects.exists()
    assert not Payment.objects.exists()


def test_checkout_refuses_a_tampered_price(client, plans, reader):
    client.force_login(reader)
    response = client.post(
        "/plans/digital-plus/checkout/", checkout_data(plans["digital-plus"], price_cents=1)
    )

    assert response.status_code == 409
    assert "The price of Digital Plus is not the one in your form" in response.content.decode()
    assert not Subscription.objects.exists()


@pytest.mark.parametrize("plan_id", ["other", "999999"])
def test_checkout_refuses_a_tampered_plan_id(client, plans, reader, plan_id):
    client.force_login(reader)
    tampered = plans["digital"].pk if plan_id == "other" else int(plan_id)
    response = client.post(
        "/plans/digital-plus/checkout/", checkout_data(plans["digital-plus"], plan_id=tampered)
    )

    assert response.status_code == 400
    assert "The form was changed after the page was shown" in response.content.decode()
    assert not Subscription.objects.exists()


def test_unknown_and_retired_plans_cannot_be_bought(client, plans, reader):
    client.force_login(reader)
    assert client.get("/plans/no-such-plan/checkout/").status_code == 404

    Plan.objects.filter(slug="digital").update(is_retired=True)
    response = client.post("/plans/digital/checkout/", checkout_data(plans["digital"]))
    assert response.status_code == 409
    assert "The Digital plan is no longer offered." in response.content.decode()
    assert not Subscription.objects.exists()


def test_double_submitted_checkout_makes_one_subscription_and_one_charge(client, plans, reader):
    old_trial(reader, plans)
    client.force_login(reader)
    data = checkout_data(plans["digital"])

    first = client.post("/plans/digital/checkout/", data)
    second = client.post("/plans/digital/checkout/", data)

    assert first.status_code == second.status_code == 302
    assert Subscription.objects.filter(status="active").count() == 1
    assert Payment.objects.count() == 1


# --- changing plan ---------------------------------------------------------------------


def test_upgrade_page_shows_the_prorated_amount_and_charges_it(client, plans, reader):
    old_trial(reader, plans)
    sub = services.subscribe(reader, plan="digital", card=OK_CARD, idempotency_key=new_key())
    client.force_login(reader)

    page = client.get("/plans/digital-plus/change/").content.decode()
    quote = services.quote_change(sub, plans["digital-plus"], now=timezone.now())
    assert f"You pay <strong>€{quote.amount_cents / 100:.2f}</strong> now" in page

    response = client.post(
        "/plans/digital-plus/change/",
        {
            "subscription_id": sub.pk,
            "plan_id": plans["digital-plus"].pk,
            "amount_cents": quote.amount_cents,
        },
    )
    assert response.status_code == 302
    sub.refresh_from_db()
    assert sub.plan.slug == "digital-plus"
    assert Payment.objects.get(kind="upgrade").amount_cents == quote.amount_cents


def test_upgrade_with_a_tampered_amount_changes_nothing(client, plans, reader):
    old_trial(reader, plans)
    sub = services.subscribe(reader, plan="digital", card=OK_CARD, idempotency_key=new_key())
    client.force_login(reader)

    response = client.post(
        "/plans/digital-plus/change/",
        {"subscription_id": sub.pk, "plan_id": plans["digital-plus"].pk, "amount_cents": 1},
    )
    assert response.status_code == 409
    assert "The amount to pay has changed" in response.content.decode()
    sub.refresh_from_db()
    assert sub.plan.slug == "digital"
    assert not Payment.objects.filter(kind="upgrade").exists()


def test_downgrade_is_scheduled_and_can_be_withdrawn(client, plans, reader):
    sub = services.subscribe(reader, plan="digital-plus", card=OK_CARD, idempotency_key=new_key())
    client.force_login(reader)

    page = client.get("/plans/digital/change/").content.decode()
    assert "You keep Digital Plus until" in page
    client.post(
        "/plans/digital/change/",
        {"subscription_id": sub.pk, "plan_id": plans["digital"].pk, "amount_cents": 0},
    )
    account = client.get("/accounts/subscription/").content.decode()
    assert "<dt>Plan change</dt><dd>Digital from" in account

    client.post(
        "/plans/digital-plus/change/",
        {"subscription_id": sub.pk, "plan_id": plans["digital-plus"].pk, "amount_cents": 0},
    )
    sub.refresh_from_db()
    assert sub.pending_plan is None


# --- the account's Subscription section -----------------------------------------------


def test_account_section_without_a_subscription(client, plans, reader):
    client.force_login(reader)
    page = client.get("/accounts/subscription/").content.decode()

    assert 'href="/accounts/subscription/" aria-current="page"' in page
    assert "<strong>Registered</strong>" in page
    assert "No payments yet." in page


def test_cancel_and_resume_from_the_account_section(client, plans, reader):
    sub = services.subscribe(reader, plan="digital-plus", card=OK_CARD, idempotency_key=new_key())
    client.force_login(reader)

    response = client.post(
        "/accounts/subscription/cancel/", {"subscription_id": sub.pk}, follow=True
    )
    page = response.content.decode()
    assert "Your subscription is cancelled." in page
    assert f"<dt>Ends on</dt><dd><strong>{sub.current_period_end:%-d %B %Y}</strong>" in page
    assert "Resume my subscription" in page

    page = client.post(
        "/accounts/subscription/resume/", {"subscription_id": sub.pk}, follow=True
    ).content.decode()
    assert "Welcome back" in page
    sub.refresh_from_db()
    assert not sub.cancel_at_period_end


def test_canceling_someone_elses_subscription_is_refused(client, plans, reader, other_reader):
    theirs = services.subscribe(
        other_reader, plan="digital", card=OK_CARD, idempotency_key=new_key()
    )
    client.force_login(reader)

    response = client.post("/accounts/subscription/cancel/", {"subscription_id": theirs.pk})
    assert response.status_code == 404
    assert "We could not find that subscription on your account." in response.content.decode()
    theirs.refresh_from_db()
    assert not theirs.cancel_at_period_end
    assert (
        client.post("/accounts/subscription/resume/", {"subscription_id": "x"}).status_code == 400
    )


def test_a_lapsed_reader_is_told_when_it_ended_and_offered_renewal(client, plans, reader):
    month_ago = timezone.now() - timedelta(days=30)
    sub = services.subscribe(
        reader, plan="digital-plus", card=OK_CARD, idempotency_key=new_key(), now=month_ago
    )
    services.cancel(reader, subscription_id=sub.pk, now=month_ago)
    renew_due(sub.current_period_end)
    client.force_login(reader)

    page = client.get("/accounts/subscription/").content.decode()
    assert f"Your Digital Plus subscription ended on {sub.current_period_end:%-d %B %Y}." in page
    assert 'href="/plans/digital-plus/checkout/">Renew Digital Plus' in page


def test_overdue_reader_updates_the_card_and_pays(client, plans, reader):
    old_trial(reader, plans)
    sub = services.subscribe(
        reader, plan="digital", card=FAILS_LATER_CARD, idempotency_key=new_key()
    )
    renew_due(sub.current_period_end)
    client.force_login(reader)
    page = client.get("/accounts/subscription/").content.decode()
    assert "was declined" in page
    assert "payment overdue" in page

    declined = client.post(
        "/accounts/subscription/card/",
        {"subscription_id": sub.pk, "number": "4000000000000002", "exp": "12/30", "cvc": "123"},
    )
    assert declined.status_code == 402
    assert "Your card was declined." in declined.content.decode()
    sub.refresh_from_db()
    assert (sub.status, sub.card_last4) == ("past_due", "0341")

    client.post(
        "/accounts/subscription/card/",
        {"subscription_id": sub.pk, "number": "4242424242424242", "exp": "12/30", "cvc": "123"},
    )
    sub.refresh_from_db()
    assert (sub.status, sub.card_last4) == ("active", "4242")


def test_account_pages_need_an_account(client, plans):
    assert client.get("/accounts/subscription/").status_code == 302
    assert client.post("/accounts/subscription/cancel/", {"subscription_id": 1}).status_code == 302


def test_idempotency_keys_are_fresh_on_every_form(client, plans, reader):
    client.force_login(reader)
    keys = set()
    for _ in range(2):
        page = client.get("/plans/digital/checkout/").content.decode()
        key = page.split('name="idempotency_key" value="')[1].split('"')[0]
        uuid.UUID(key)
        keys.add(key)
    assert len(keys) == 2


def test_checkout_sends_a_subscriber_to_change_plan_instead(client, plans, reader):
    services.subscribe(reader, plan="digital", card=OK_CARD, idempotency_key=new_key())
    client.force_login(reader)

    response = client.get("/plans/digital-plus/checkout/")
    assert response["Location"] == "/plans/digital-plus/change/"
    response = client.get("/plans/digital/checkout/")
    assert response["Location"] == "/accounts/subscription/"


def test_the_free_plan_has_no_checkout(client, plans, reader):
    client.force_login(reader)
    response = client.get("/plans/free/checkout/")
    assert response.status_code == 400
    assert "Registered is free with an account" in response.content.decode()
