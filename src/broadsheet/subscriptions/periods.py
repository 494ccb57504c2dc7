"""Billing periods: calendar months and years counted from an anchor, never drifting."""

import calendar
from datetime import datetime

from broadsheet.subscriptions.models import Plan


def add_months(moment: datetime, months: int) -> datetime:
    """`moment` moved by whole months; the 31st becomes the last day of a shorter month."""
    years, month_index = divmod(moment.month - 1 + months, 12)
    year, month = moment.year + years, month_index + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def months_in(period: str) -> int:
    return 12 if period == Plan.Period.YEAR else 1


def period_end_after(anchor: datetime, period: str, after: datetime) -> datetime:
    """The first period boundary counted from `anchor` that falls after `after`."""
    step = months_in(period)
    n = 1
    while (end := add_months(anchor, n * step)) <= after:
        n += 1
    return end


def monthly_price_cents(plan: Plan) -> float:
    """The plan's price per month, to compare plans billed monthly and yearly."""
    return plan.price_cents / months_in(plan.period)
