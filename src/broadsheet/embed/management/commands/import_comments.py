"""manage.py import_comments disqus|wordpress EXPORT.xml --site KEY"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from broadsheet.embed.imports import disqus, wordpress
from broadsheet.embed.imports.loader import import_export
from broadsheet.embed.imports.records import ImportFileError
from broadsheet.embed.models import Site

READERS = {"disqus": disqus.read, "wordpress": wordpress.read}


class Command(BaseCommand):
    help = (
        "Imports the comments of a Disqus export or a WordPress export (WXR) into a registered "
        "site's stories. Running it again changes nothing; a file with a problem imports nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("format", choices=sorted(READERS))
        parser.add_argument("path", type=Path)
        parser.add_argument("--site", required=True, help="the site's key or name")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        site = Site.objects.filter(Q(key=options["site"]) | Q(name=options["site"])).first()
        if site is None:
            raise CommandError(f"There is no site {options['site']!r}: register it in the admin.")
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        try:
            export = READERS[options["format"]](path)
            summary = import_export(site, options["format"], export)
        except ImportFileError as error:
            where = f"{path}, line {error.line}" if error.line else str(path)
            raise CommandError(f"{where}: {error.problem}. Nothing was imported.") from error
        self.stdout.write(
            f"Imported {summary.comments} comments ({summary.skipped} already imported) on "
            f"{summary.stories} new stories, by {summary.authors} new readers."
        )
        if summary.names_refused:
            self.stdout.write(
                f"{len(summary.names_refused)} author names were not taken as display names "
                "(taken already, or against the naming rules); those readers choose one before "
                "they next comment."
            )
        if summary.authors:
            self.stdout.write(
                "Imported readers sign in once they claim their account: the 'Forgotten your "
                "password?' page (/accounts/reset/) e-mails them a link."
            )
