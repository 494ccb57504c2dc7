"""Template filters for prices."""

from django import template

register = template.Library()

SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£"}


@register.filter
def money(cents: int | None, currency: str = "EUR") -> str:
    """1250, "EUR" -> "€12.50"; whole amounts keep their cents so prices line up."""
    amount = f"{(cents or 0) / 100:,.2f}"
    symbol = SYMBOLS.get(currency.upper())
    return f"{symbol}{amount}" if symbol else f"{amount} {currency.upper()}"
