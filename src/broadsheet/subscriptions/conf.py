"""Settings of the subscriptions app, with their defaults."""

from datetime import timedelta

from django.conf import settings


def payment_provider() -> str:
    """Dotted path of the payment provider class; the offline one unless a processor is set."""
    return getattr(
        settings,
        "PAYMENT_PROVIDER",
        "broadsheet.subscriptions.payments.offline.OfflineProvider",
    )


def webhook_secret() -> str:
    """The secret the provider signs its webhooks with."""
    return getattr(settings, "PAYMENT_WEBHOOK_SECRET", "") or f"whsec-{settings.SECRET_KEY}"


def webhook_tolerance() -> timedelta:
    """How old a signed webhook may be before it is refused as a replay."""
    return timedelta(seconds=getattr(settings, "PAYMENT_WEBHOOK_TOLERANCE_SECONDS", 300))


def webhook_retention() -> timedelta:
    """How long an applied event's id is remembered, to refuse it if it comes again.

    Far longer than the signature tolerance: a processor re-sends an event it thinks was
    not delivered for up to a few days, each time freshly signed.
    """
    return timedelta(days=getattr(settings, "PAYMENT_WEBHOOK_RETENTION_DAYS", 30))


def grace_period() -> timedelta:
    """How long a reader whose payment failed keeps their entitlements while we retry."""
    return timedelta(days=getattr(settings, "SUBSCRIPTION_GRACE_DAYS", 7))


def retry_interval() -> timedelta:
    """How long to wait between attempts to take an overdue payment."""
    return timedelta(hours=getattr(settings, "SUBSCRIPTION_RETRY_HOURS", 24))


def show_test_cards() -> bool:
    """List the offline provider's test cards on the checkout page (never in production)."""
    return getattr(settings, "PAYMENT_SHOW_TEST_CARDS", not settings.PRODUCTION)


def preview_paragraphs() -> int:
    """How many opening paragraphs of a subscriber story the paywall shows."""
    return getattr(settings, "PAYWALL_PREVIEW_PARAGRAPHS", 2)
