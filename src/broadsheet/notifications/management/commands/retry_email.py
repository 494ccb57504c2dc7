"""Send again the e-mail whose earlier attempt failed and is due. Safe to run from cron."""

from typing import Any

from django.core.management.base import BaseCommand

from broadsheet.notifications.mail import retry_due


class Command(BaseCommand):
    help = "Send e-mail whose earlier attempt failed and is due again."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(f"E-mails sent: {retry_due()}.")
