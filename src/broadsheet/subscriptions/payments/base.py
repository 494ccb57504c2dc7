"""The payment provider interface: everything the rest of the app knows about payments.

A provider saves a card (checkout), charges a saved card (on-session when the reader is
at the checkout, off-session for renewals) with an idempotency key, and verifies the
webhooks it sends. A real processor implements the same three calls: `save_card` takes
the token its hosted card field produced, `charge` passes the idempotency key through so
a retried request is never charged twice, and `parse_webhook` checks its signature.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol


class PaymentError(Exception):
    """The provider refused: a declined card, an invalid number. The message is for readers."""

    def __init__(self, message: str, *, code: str = "card_declined") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class InvalidWebhookError(Exception):
    """A webhook whose signature, age or body does not check out."""


@dataclass(frozen=True)
class SavedCard:
    token: str  # the provider's reference for the card; the only thing we store
    brand: str
    last4: str


@dataclass(frozen=True)
class Charge:
    succeeded: bool
    reference: str
    failure_message: str = ""


@dataclass(frozen=True)
class WebhookEvent:
    id: str
    type: str  # e.g. "charge.refunded"
    data: dict[str, Any] = field(default_factory=dict)


class PaymentProvider(Protocol):
    name: str

    def save_card(self, card: dict[str, str]) -> SavedCard:
        """Check and save the card from the checkout form; raise PaymentError if refused."""
        ...

    def charge(
        self,
        card_token: str,
        amount_cents: int,
        currency: str,
        *,
        idempotency_key: str,
        description: str,
        off_session: bool,
    ) -> Charge:
        """Charge a saved card. The same idempotency key returns the same charge."""
        ...

    def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> WebhookEvent:
        """Verify a webhook's signature and freshness; raise InvalidWebhookError if it fails."""
        ...
