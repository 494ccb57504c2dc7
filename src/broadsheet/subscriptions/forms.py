"""Forms: they check the shape of what was sent; the rules are in services.py."""

import re
import uuid
from datetime import date
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


def new_idempotency_key() -> str:
    return uuid.uuid4().hex


class CardForm(forms.Form):
    number = forms.CharField(
        label=gettext_lazy("Card number"),
        max_length=23,
        widget=forms.TextInput(
            attrs={"autocomplete": "cc-number", "inputmode": "numeric", "spellcheck": "false"}
        ),
    )
    exp = forms.CharField(
        label=gettext_lazy("Expiry (MM/YY)"),
        max_length=7,
        widget=forms.TextInput(attrs={"autocomplete": "cc-exp", "placeholder": "MM/YY"}),
    )
    cvc = forms.CharField(
        label=gettext_lazy("CVC"),
        max_length=4,
        widget=forms.TextInput(attrs={"autocomplete": "cc-csc", "inputmode": "numeric"}),
    )

    def clean_number(self) -> str:
        number = re.sub(r"[\s-]", "", self.cleaned_data["number"])
        if not number.isdigit() or not 12 <= len(number) <= 19:
            raise forms.ValidationError(_("Enter the card number: 12 to 19 digits."))
        return number

    def clean_exp(self) -> str:
        match = re.fullmatch(r"\s*(\d{1,2})\s*/\s*(\d{2}|\d{4})\s*", self.cleaned_data["exp"])
        if not match or not 1 <= int(match[1]) <= 12:
            raise forms.ValidationError(_("Enter the expiry date as MM/YY, for example 08/29."))
        month, year = int(match[1]), int(match[2])
        year = year + 2000 if year < 100 else year
        today = timezone.localdate()
        if date(year, month, 1) < today.replace(day=1):
            raise forms.ValidationError(_("This card has expired."))
        return f"{month:02d}/{year % 100:02d}"

    def clean_cvc(self) -> str:
        cvc = self.cleaned_data["cvc"].strip()
        if not re.fullmatch(r"\d{3,4}", cvc):
            raise forms.ValidationError(_("Enter the 3 or 4 digits on the back of the card."))
        return cvc

    def card(self) -> dict[str, str]:
        return {key: self.cleaned_data[key] for key in ("number", "exp", "cvc")}


class CheckoutForm(CardForm):
    """The card form plus what the reader saw: the plan and its price, and a one-time key."""

    plan_id = forms.IntegerField(widget=forms.HiddenInput)
    price_cents = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, min_length=16, max_length=64)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Fields are ordered for reading: the hidden ones render last.
        self.order_fields(["number", "exp", "cvc"])


class ChangePlanForm(forms.Form):
    subscription_id = forms.IntegerField(widget=forms.HiddenInput)
    plan_id = forms.IntegerField(widget=forms.HiddenInput)
    amount_cents = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class SubscriptionForm(forms.Form):
    """Which subscription a cancel or resume is about."""

    subscription_id = forms.IntegerField(widget=forms.HiddenInput)


class UpdateCardForm(CardForm):
    subscription_id = forms.IntegerField(widget=forms.HiddenInput)
