"""The default plans, loaded with the demo data and available to a new site."""

from broadsheet.subscriptions.models import Plan

DEFAULT_PLANS = [
    {
        "slug": "free",
        "name": "Registered",
        "description": "Every free story, and one subscriber story a month to try.",
        "price_cents": 0,
        "is_free": True,
        "display_order": 0,
        "may_comment": False,
        "premium_stories": False,
        "monthly_free_premium": 1,
    },
    {
        "slug": "digital",
        "name": "Digital",
        "description": "Every story on the site, on any device.",
        "price_cents": 600,
        "trial_days": 14,
        "display_order": 1,
        "may_comment": False,
        "premium_stories": True,
    },
    {
        "slug": "digital-plus",
        "name": "Digital Plus",
        "description": "Every story, and a voice in the conversation: comment on stories.",
        "price_cents": 900,
        "trial_days": 14,
        # A card is needed for the trial, which keeps throwaway accounts out already.
        "trial_includes_comments": True,
        "display_order": 2,
        "may_comment": True,
        "premium_stories": True,
    },
]


def load_plans() -> dict[str, Plan]:
    plans = {}
    for fields in DEFAULT_PLANS:
        values = dict(fields)
        slug = values.pop("slug")
        plans[str(slug)], _ = Plan.objects.update_or_create(slug=slug, defaults=values)
    return plans


def load_subscriptions(plans: dict[str, Plan], users: dict) -> None:
    """Give each demo account its plan, as an active subscription a month long."""
    from django.utils import timezone

    from broadsheet.accounts.demo import DEMO_ACCOUNTS
    from broadsheet.subscriptions.models import Subscription
    from broadsheet.subscriptions.periods import add_months

    now = timezone.now()
    for account in DEMO_ACCOUNTS:
        if not account.plan:
            continue
        reader = users[account.email]
        current = Subscription.objects.filter(
            reader=reader, status__in=Subscription.CURRENT_STATUSES
        ).first()
        if current and current.plan.slug == account.plan:
            continue
        if current:
            current.delete()
        Subscription.objects.create(
            reader=reader,
            plan=plans[account.plan],
            status=Subscription.Status.ACTIVE,
            started_at=now,
            billing_anchor=now,
            current_period_start=now,
            current_period_end=add_months(now, 1),
            # The offline provider's always-succeeding test card (4242 4242 4242 4242).
            payment_method="card_test_ok_4242",
            card_brand="Visa",
            card_last4="4242",
        )
