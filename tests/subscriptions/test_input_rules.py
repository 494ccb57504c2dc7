"""Input rules, checked against arbitrary input: a refusal is always a clear message."""

from datetime import date

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from broadsheet.core.exceptions import ServiceError
from broadsheet.subscriptions.forms import CardForm
from broadsheet.subscriptions.services import plan_for_sale


def card_form(**fields):
    return CardForm({"number": "4242424242424242", "exp": "12/30", "cvc": "123", **fields})


@given(st.text(max_size=30))
def test_any_card_number_is_cleaned_to_digits_or_refused(number):
    form = card_form(number=number)
    if form.is_valid():
        assert form.cleaned_data["number"].isdigit()
        assert 12 <= len(form.cleaned_data["number"]) <= 19
    else:
        assert form.errors["number"]


@given(st.integers(min_value=1, max_value=12), st.integers(min_value=2000, max_value=2099))
def test_expiry_dates_before_this_month_are_refused(month, year):
    form = card_form(exp=f"{month:02d}/{year % 100:02d}")
    expired = date(year, month, 1) < timezone.localdate().replace(day=1)
    assert form.is_valid() is not expired
    if expired:
        assert form.errors["exp"] == ["This card has expired."]


@pytest.mark.django_db
@settings(max_examples=50, deadline=None)
@given(st.one_of(st.none(), st.text(max_size=40), st.integers()))
def test_an_unknown_plan_is_refused_with_a_message(ref):
    with pytest.raises(ServiceError) as refused:
        plan_for_sale(ref)
    assert refused.value.code == "unknown_plan"
    assert refused.value.message == "There is no such plan."
