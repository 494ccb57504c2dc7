"""`manage.py backup` and `restore`: a populated site, backed up, restored into an empty
database, table for table the same (SQLite in the SQLite run, PostgreSQL in the other)."""

import io
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from broadsheet.comments.models import Comment
from broadsheet.core.backup import backup, restore
from tests.servers import _postgres_admin

pytestmark = pytest.mark.django_db(transaction=True)


def _rows(cursor: Any, table: str, quote: str) -> list[tuple[Any, ...]]:
    cursor.execute(f"SELECT * FROM {quote}{table}{quote}")  # noqa: S608 - table names from the schema
    return sorted(cursor.fetchall(), key=repr)


@pytest.fixture
def empty_database(tmp_path: Path) -> Iterator[dict[str, Any]]:
    """Settings for a new, empty database of the same engine as the test run's."""
    source = dict(connection.settings_dict)
    if connection.vendor == "sqlite":
        yield {**source, "NAME": str(tmp_path / "restored.sqlite3")}
        return
    name = f"{source['NAME']}_restored"
    _postgres_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _postgres_admin(f'CREATE DATABASE "{name}"')
    yield {**source, "NAME": name}
    _postgres_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _contents(database: dict[str, Any], tables: list[str]) -> dict[str, list[tuple[Any, ...]]]:
    if database["ENGINE"].endswith("sqlite3"):
        with sqlite3.connect(database["NAME"]) as db:
            return {table: _rows(db.cursor(), table, '"') for table in tables}
    import psycopg

    with psycopg.connect(
        dbname=database["NAME"],
        user=database.get("USER") or None,
        password=database.get("PASSWORD") or None,
        host=database.get("HOST") or "127.0.0.1",
        port=database.get("PORT") or 5432,
    ) as db:
        return {table: _rows(db.cursor(), table, '"') for table in tables}


def test_a_backup_restored_into_an_empty_database_holds_every_row_of_every_table(
    demo: dict[str, Any], tmp_path: Path, empty_database: dict[str, Any]
) -> None:
    assert Comment.objects.exists(), "the demo site has comments to back up"
    path = backup(dict(connection.settings_dict), tmp_path / "backups")
    restore(empty_database, path)
    tables = connection.introspection.table_names()
    original = _contents(dict(connection.settings_dict), tables)
    restored = _contents(empty_database, tables)
    assert sum(len(rows) for rows in original.values()) > 100
    for table in tables:
        assert restored[table] == original[table], f"{table} differs after the restore"


def test_the_commands_keep_the_newest_backups_and_refuse_to_overwrite_a_site_in_use(
    demo: dict[str, Any], tmp_path: Path
) -> None:
    folder = tmp_path / "backups"
    for _ in range(3):
        call_command("backup", into=folder, keep=2, stdout=io.StringIO())
    kept = sorted(folder.iterdir())
    assert len(kept) == 2
    with pytest.raises(CommandError, match=r"already has \d+ accounts: restoring replaces all"):
        call_command("restore", str(kept[-1]))
    stray = tmp_path / "notes.txt"
    stray.write_text("not a backup")
    with pytest.raises(CommandError, match=r"notes\.txt is not a Broadsheet backup"):
        call_command("restore", str(stray), "--replace")
    # Comments deleted after the backup are back once it is restored.
    Comment.objects.all().delete()
    call_command("restore", str(kept[-1]), "--replace", stdout=io.StringIO())
    assert Comment.objects.exists()
