"""Renew due subscriptions, retry failed payments and expire those out of grace.

Run it from cron (every 15 minutes is plenty); it is safe to run twice or at once.
"""

from datetime import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from broadsheet.subscriptions.renewals import renew_due


class Command(BaseCommand):
    help = "Renew due subscriptions, retry failed payments, expire those out of grace."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--now",
            help="Act as if it were this moment (ISO 8601 with a time zone), to catch up or test.",
        )

    def handle(self, *args: Any, now: str | None = None, **options: Any) -> None:
        moment = None
        if now:
            try:
                moment = datetime.fromisoformat(now)
            except ValueError:
                raise CommandError(
                    f"--now must be an ISO 8601 date and time, not {now!r}."
                ) from None
            if moment.tzinfo is None:
                raise CommandError("--now needs a time zone, e.g. 2026-12-01T00:00:00+00:00.")
        outcomes = renew_due(moment)
        if not outcomes:
            self.stdout.write("Nothing was due.")
            return
        summary = ", ".join(f"{count} {outcome}" for outcome, count in sorted(outcomes.items()))
        self.stdout.write(f"Subscriptions handled: {summary}.")
        if outcomes.get("error"):
            raise CommandError(f"{outcomes['error']} could not be handled; see the log.")
