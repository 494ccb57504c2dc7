"""Load the demo data set. Running it twice changes nothing."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from broadsheet.accounts.demo import DEMO_ACCOUNTS
from broadsheet.core.demo import load_demo


class Command(BaseCommand):
    help = (
        "Load the demo data (development only), or with --defaults the defaults a new site needs."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--defaults",
            action="store_true",
            help="Load only the default plans and word lists (allowed in production).",
        )

    def handle(self, *args: Any, defaults: bool = False, **options: Any) -> None:
        if defaults:
            from broadsheet.appeals.defaults import install_guidelines
            from broadsheet.moderation.wordlists import install_defaults
            from broadsheet.subscriptions.demo import load_plans

            with transaction.atomic():
                load_plans()
                install_defaults()
                install_guidelines()
            self.stdout.write("Default plans and word lists loaded.")
            return
        if settings.PRODUCTION:
            raise CommandError(
                "The demo data, with its published passwords, is never loaded in production. "
                "Use --defaults for the default plans and word lists."
            )
        load_demo()
        self.stdout.write(f"Demo data loaded. Demo sign-ins (password: {settings.DEMO_PASSWORD}):")
        for account in DEMO_ACCOUNTS:
            self.stdout.write(f"  {account.email:<24} {account.what}")
