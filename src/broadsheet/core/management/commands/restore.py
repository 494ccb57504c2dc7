"""`manage.py restore PATH`: replace the site's database with a backup."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from django.db.utils import DatabaseError
from django.utils.translation import gettext as _

from broadsheet.core.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Replaces everything in the database with a backup from `manage.py backup`. Stop the "
        "app servers and the worker first. A database that has readers is only replaced "
        "with --replace."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument("--replace", action="store_true", help="replace a database in use")

    def handle(self, *args: Any, path: Path, replace: bool, **options: Any) -> None:
        readers = _readers()
        if readers and not replace:
            raise CommandError(
                _(
                    "This database already has %(count)d accounts: restoring replaces all of "
                    "it. Stop the site, then run again with --replace."
                )
                % {"count": readers}
            )
        connections.close_all()
        try:
            restore(dict(settings.DATABASES["default"]), path)
        except BackupError as error:
            raise CommandError(error.message) from None
        self.stdout.write(
            _(
                "Restored %(path)s. Run `manage.py migrate` if the backup is older than this "
                "version."
            )
            % {"path": path}
        )


def _readers() -> int:
    from broadsheet.accounts.models import User

    try:
        return User.objects.count()
    except DatabaseError:
        return 0  # no tables yet: an empty database
