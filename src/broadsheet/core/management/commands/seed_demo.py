"""Load the demo plans, accounts, stories and comments. Running it twice changes nothing."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from broadsheet.accounts.demo import DEMO_ACCOUNTS, load_accounts
from broadsheet.comments.demo import load_comments
from broadsheet.stories.demo import load_stories
from broadsheet.subscriptions.demo import load_plans, load_subscriptions


class Command(BaseCommand):
    help = "Load the demo data (development only)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--plans-only",
            action="store_true",
            help="Load only the default plans (allowed in production).",
        )

    def handle(self, *args: Any, plans_only: bool = False, **options: Any) -> None:
        if plans_only:
            with transaction.atomic():
                load_plans()
            self.stdout.write("Default plans loaded.")
            return
        if settings.PRODUCTION:
            raise CommandError(
                "The demo data, with its published passwords, is never loaded in production. "
                "Use --plans-only for the default plans."
            )
        with transaction.atomic():
            plans = load_plans()
            users = load_accounts()
            load_subscriptions(plans, users)
            load_stories()
            load_comments()
        self.stdout.write(f"Demo data loaded. Demo sign-ins (password: {settings.DEMO_PASSWORD}):")
        for account in DEMO_ACCOUNTS:
            self.stdout.write(f"  {account.email:<24} {account.what}")
