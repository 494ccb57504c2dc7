"""manage.py import_stories PATH: import a story file or a folder of them.

The file formats and rules are described in broadsheet.stories.importer.
"""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from broadsheet.stories.importer import StoryImportError, import_file, story_files


class Command(BaseCommand):
    help = (
        "Import stories from a plain-text or Markdown (YAML front matter) file, or a folder "
        "of them. A file is imported whole or not at all; importing it again updates its story."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("path", type=Path, help="a .txt/.md file or a folder")
        parser.add_argument(
            "--section",
            help="section slug for files that do not name one (plain text never does)",
        )

    def handle(self, *args: Any, path: Path, section: str | None = None, **options: Any) -> None:
        if not path.exists():
            raise CommandError(f"{path}: no such file or folder.")
        files = story_files(path)
        if not files:
            raise CommandError(f"{path}: no .txt, .md or .markdown files in this folder.")
        failed = created = updated = 0
        for file in files:
            try:
                result = import_file(file, default_section=section)
            except StoryImportError as problem:
                failed += 1
                self.stderr.write(f"{file}: {problem} (nothing imported from this file)")
                continue
            story = result.story
            if result.created:
                created += 1
            else:
                updated += 1
            verb = "created" if result.created else "updated"
            self.stdout.write(
                f"{file}: {verb} “{story.headline}” ({story.get_status_display().lower()}, "
                f"/story/{story.slug}/)"
            )
            for note in result.notes:
                self.stdout.write(f"{file}: note: {note}")
            for line in result.left_out:
                shown = line if len(line) <= 90 else line[:89] + "…"
                self.stdout.write(f"{file}: left out site boilerplate: “{shown}”")
        summary = f"{created} created, {updated} updated, {failed} failed."
        if failed:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))
