"""Queue today's daily digest e-mails. Run it once a day from cron; a second run sends nothing."""

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from broadsheet.notifications.digest import send_digests


class Command(BaseCommand):
    help = "Queue the daily digest e-mail for every reader with something waiting."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--date", dest="day", help="The digest's day (YYYY-MM-DD); today by default."
        )

    def handle(self, *args: Any, day: str | None = None, **options: Any) -> None:
        when = None
        if day:
            try:
                when = date.fromisoformat(day)
            except ValueError:
                raise CommandError(f"--date must look like 2026-12-01, not {day!r}.") from None
        queued = send_digests(when)
        self.stdout.write(f"Digests queued: {queued}.")
