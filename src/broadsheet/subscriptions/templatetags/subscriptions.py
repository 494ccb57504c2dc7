"""Template filters for prices."""

from django import template
from django.utils.translation import gettext_lazy

register = template.Library()

SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£"}


@register.filter
def money(cents: int | None, currency: str = "EUR") -> str:
    """1250, "EUR" -> "€12.50"; whole amounts keep their cents so prices line up."""
    amount = f"{(cents or 0) / 100:,.2f}"
    symbol = SYMBOLS.get(currency.upper())
    return f"{symbol}{amount}" if symbol else f"{amount} {currency.upper()}"


# A plan's billing period as the prices read it ("€9.00 a month"), in the page's language.
PERIOD_NAMES = {"month": gettext_lazy("month"), "year": gettext_lazy("year")}


@register.filter
def period_name(period: str) -> str:
    return str(PERIOD_NAMES.get(period, period))
