"""Payments go through one provider, chosen by the PAYMENT_PROVIDER setting."""

from functools import cache

from django.utils.module_loading import import_string

from broadsheet.subscriptions import conf
from broadsheet.subscriptions.payments.base import (
    Charge,
    InvalidWebhookError,
    PaymentError,
    PaymentProvider,
    SavedCard,
    WebhookEvent,
)

__all__ = [
    "Charge",
    "InvalidWebhookError",
    "PaymentError",
    "PaymentProvider",
    "SavedCard",
    "WebhookEvent",
    "provider",
]


@cache
def _provider(path: str) -> PaymentProvider:
    provider: PaymentProvider = import_string(path)()
    return provider


def provider() -> PaymentProvider:
    return _provider(conf.payment_provider())
