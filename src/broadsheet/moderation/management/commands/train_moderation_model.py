"""Train the newsroom model on the desk's decisions and say how it compared."""

from typing import Any

from django.core.management.base import BaseCommand

from broadsheet.moderation import newsroom


class Command(BaseCommand):
    help = (
        "Train a model on the moderators' approve and reject decisions; it scores new "
        "comments only if it beats the shipped checks on the newest decisions it did not "
        "learn from. Run it nightly (cron), or enqueue the train_newsroom_model task."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(newsroom.train().message)
