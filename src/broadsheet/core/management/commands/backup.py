"""`manage.py backup --into FOLDER [--keep N]`: a consistent copy of the site's database."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from broadsheet.core.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Backs up the database (SQLite: online backup API; PostgreSQL: pg_dump) into a "
        "folder, as broadsheet-YYYYMMDD-HHMMSS-micro.sqlite3 or .pgdump; --keep N deletes all but "
        "the newest N backups there."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--into", type=Path, default=settings.VAR_DIR / "backups")
        parser.add_argument("--keep", type=int, default=0, help="backups to keep (0: all)")

    def handle(self, *args: Any, into: Path, keep: int, **options: Any) -> None:
        if keep < 0:
            raise CommandError(_("--keep must be 0 (keep all) or more."))
        try:
            path = backup(dict(settings.DATABASES["default"]), into, keep=keep)
        except BackupError as error:
            raise CommandError(error.message) from None
        self.stdout.write(_("Backed up to %(path)s") % {"path": path})
