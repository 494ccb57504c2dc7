"""Migration operations that a running site survives (see core/migration_locks.py)."""

from typing import Any

from django.contrib.postgres.operations import AddIndexConcurrently
from django.db.migrations.operations import AddIndex


class AddIndexOnline(AddIndexConcurrently):
    """CREATE INDEX CONCURRENTLY on PostgreSQL, so writes go on while it builds; a plain
    index elsewhere (SQLite has no concurrent build, and one writer at a time anyway).
    The migration that uses it must say `atomic = False`."""

    def _ensure_not_in_transaction(self, schema_editor: Any) -> None:
        if not schema_editor.collect_sql:  # only reading the SQL (sqlmigrate, the lock check)
            super()._ensure_not_in_transaction(schema_editor)

    def database_forwards(self, app_label: str, schema_editor: Any, *args: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, *args)
        else:
            AddIndex.database_forwards(self, app_label, schema_editor, *args)

    def database_backwards(self, app_label: str, schema_editor: Any, *args: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, *args)
        else:
            AddIndex.database_backwards(self, app_label, schema_editor, *args)
