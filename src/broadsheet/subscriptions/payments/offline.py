"""An offline provider that behaves like a card processor's test mode.

No network, no real cards. The test card numbers below decide what happens; any
expiry date in the future and any three-digit CVC are accepted. Webhooks are signed
like a processor's: `Broadsheet-Signature: t=<unix time>,v1=<hex HMAC-SHA256 of
"<t>.<body>">` with the PAYMENT_WEBHOOK_SECRET.
"""

import hashlib
import hmac
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from broadsheet.subscriptions import conf
from broadsheet.subscriptions.payments.base import (
    Charge,
    InvalidWebhookError,
    PaymentError,
    SavedCard,
    WebhookEvent,
)

SIGNATURE_HEADER = "Broadsheet-Signature"
MAX_EVENT_ID_LENGTH = 255  # as stored in ReceivedWebhook.event_id


@dataclass(frozen=True)
class TestCard:
    number: str
    behaviour: str | Promise  # translated when shown
    # What the card does: "ok" always succeeds, "decline" is refused at checkout,
    # "fail_later" is saved and charged at checkout but declines every renewal.
    outcome: str


TEST_CARDS = [
    TestCard("4242424242424242", gettext_lazy("succeeds"), "ok"),
    TestCard("4000000000000002", gettext_lazy("is declined"), "decline"),
    TestCard(
        "4000000000009995", gettext_lazy("is declined: insufficient funds"), "insufficient_funds"
    ),
    TestCard("4000000000000341", gettext_lazy("succeeds now, then fails at renewal"), "fail_later"),
]
_BY_NUMBER = {card.number: card for card in TEST_CARDS}


def luhn_valid(number: str) -> bool:
    digits = [int(d) for d in reversed(number)]
    total = sum(digits[0::2]) + sum(sum(divmod(2 * d, 10)) for d in digits[1::2])
    return total % 10 == 0


class OfflineProvider:
    name = "offline"

    def save_card(self, card: dict[str, str]) -> SavedCard:
        number = "".join(ch for ch in card.get("number", "") if ch.isdigit())
        if not 12 <= len(number) <= 19 or not luhn_valid(number):
            raise PaymentError(_("That card number is not valid."), code="invalid_number")
        test_card = _BY_NUMBER.get(number)
        if test_card is None:
            raise PaymentError(
                _("Payments are in test mode: use one of the test cards."), code="card_declined"
            )
        if test_card.outcome == "decline":
            raise PaymentError(_("Your card was declined."), code="card_declined")
        if test_card.outcome == "insufficient_funds":
            raise PaymentError(
                _("Your card was declined: insufficient funds."), code="insufficient_funds"
            )
        return SavedCard(token=f"card_test_{test_card.outcome}_{number[-4:]}", brand="Visa",
                         last4=number[-4:])  # fmt: skip

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
        # The same key always gives the same reference, as a processor's idempotency does.
        reference = "ch_test_" + hashlib.sha256(idempotency_key.encode()).hexdigest()[:24]
        if not card_token.startswith("card_test_"):
            return Charge(False, reference, _("This card is not known to the payment provider."))
        if "_fail_later_" in card_token and off_session:
            return Charge(False, reference, _("Your card was declined."))
        return Charge(True, reference)

    # --- webhooks ---------------------------------------------------------------------

    def sign(self, body: bytes, timestamp: int | None = None) -> str:
        """The signature header value for `body`, as the provider would send it."""
        t = int(time.time()) if timestamp is None else timestamp
        mac = hmac.new(conf.webhook_secret().encode(), f"{t}.".encode() + body, hashlib.sha256)
        return f"t={t},v1={mac.hexdigest()}"

    def parse_webhook(self, body: bytes, headers: Mapping[str, str]) -> WebhookEvent:
        header = headers.get(SIGNATURE_HEADER, "")
        parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
        try:
            timestamp = int(parts.get("t", ""))
        except ValueError:
            raise InvalidWebhookError("missing or malformed signature header") from None
        expected = self.sign(body, timestamp).split("v1=", 1)[1]
        if not hmac.compare_digest(expected, parts.get("v1", "")):
            raise InvalidWebhookError("signature does not match")
        if abs(time.time() - timestamp) > conf.webhook_tolerance().total_seconds():
            raise InvalidWebhookError("signature is too old")
        try:
            payload = json.loads(body)
            event = WebhookEvent(
                id=str(payload["id"]), type=str(payload["type"]), data=dict(payload["data"])
            )
        except (ValueError, KeyError, TypeError):
            raise InvalidWebhookError("body is not a webhook event") from None
        if not 0 < len(event.id) <= MAX_EVENT_ID_LENGTH:
            raise InvalidWebhookError("body is not a webhook event")
        return event
