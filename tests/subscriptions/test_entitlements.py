"""Entitlements: the one answer to "what may this reader do?", for each demo account."""

import pytest
from django.contrib.auth.models import AnonymousUser

from broadsheet.accounts.demo import DEMO_ACCOUNTS
from broadsheet.accounts.models import User
from broadsheet.subscriptions.services import entitlements

EXPECTED = {
    "free@example.com": ("free", False, False, 1),
    "digital@example.com": ("digital", False, True, 0),
    "noname@example.com": ("digital-plus", True, True, 0),
    "member@example.com": ("digital-plus", True, True, 0),
    "moderator@example.com": ("digital-plus", True, True, 0),
    "editor@example.com": ("digital-plus", True, True, 0),
}


def test_every_demo_account_is_covered():
    assert {account.email for account in DEMO_ACCOUNTS} == set(EXPECTED)


@pytest.mark.parametrize("email", sorted(EXPECTED))
def test_entitlements_of_each_demo_account(demo, email):
    ent = entitlements(User.objects.get(email=email))

    assert (ent.plan.slug, ent.may_comment, ent.premium_stories, ent.monthly_free_premium) == (
        EXPECTED[email]
    )
    assert ent.lapsed_at is None
    assert ent.lapsed_plan is None


def test_a_visitor_gets_the_free_plan(demo):
    ent = entitlements(AnonymousUser())
    assert (ent.plan.slug, ent.may_comment, ent.premium_stories) == ("free", False, False)


def test_loading_the_demo_twice_keeps_each_account_on_its_plan(demo):
    from broadsheet.accounts.demo import load_accounts
    from broadsheet.subscriptions.demo import load_plans, load_subscriptions

    load_subscriptions(load_plans(), load_accounts())
    for email, (slug, *_rest) in EXPECTED.items():
        assert entitlements(User.objects.get(email=email)).plan.slug == slug
