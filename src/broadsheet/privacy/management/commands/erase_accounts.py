"""Erase the accounts whose deletion grace period is over, and remove expired data downloads.

Run it from cron every hour; it is safe to run twice or at once.
"""

from typing import Any

from django.core.management.base import BaseCommand

from broadsheet.privacy import downloads, erasure


class Command(BaseCommand):
    help = "Erase accounts whose deletion is due and delete expired data downloads."

    def handle(self, *args: Any, **options: Any) -> None:
        erased = erasure.run_due()
        removed = downloads.remove_expired()
        self.stdout.write(f"Accounts erased: {erased}. Expired downloads removed: {removed}.")
