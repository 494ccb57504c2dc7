"""Which migrations would lock a busy PostgreSQL table for long (README, "Upgrading").

A running site survives a migration when no statement holds a table's lock while it reads
or rewrites the whole table. This reads the SQL each of our migrations runs on PostgreSQL
(as `sqlmigrate` shows it) and names each statement that does, on a table the migration
did not create itself (a new table is empty, so nothing waits):

- CREATE INDEX without CONCURRENTLY blocks writes while the index is built
  (use django.contrib.postgres.operations.AddIndexConcurrently in a non-atomic migration);
- ADD CONSTRAINT ... FOREIGN KEY / CHECK without NOT VALID scans the table under lock
  (use AddConstraintNotValid, then ValidateConstraint in a later migration);
- ADD CONSTRAINT ... UNIQUE / PRIMARY KEY builds an index under an exclusive lock
  (build a unique index concurrently first, then add the constraint USING INDEX);
- ALTER COLUMN ... TYPE rewrites the table (except making a varchar longer or unlimited);
- ALTER COLUMN ... SET NOT NULL scans the table under an exclusive lock.
"""

import re
from dataclasses import dataclass

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader

OURS = "broadsheet."
TABLE = r'"(?P<table>[^"]+)"'
RULES = [
    (re.compile(rf"^CREATE (UNIQUE )?INDEX (?!CONCURRENTLY)\S+ ON {TABLE}"),
     "builds an index while writes wait: use AddIndexConcurrently (atomic = False)"),
    (re.compile(rf"^ALTER TABLE {TABLE} ADD CONSTRAINT \S+ (FOREIGN KEY|CHECK)(?!.*NOT VALID)"),
     "checks every row under lock: use AddConstraintNotValid, then ValidateConstraint"),
    (re.compile(rf"^ALTER TABLE {TABLE} ADD CONSTRAINT \S+ (UNIQUE|PRIMARY KEY)(?!.* USING INDEX)"),
     "builds a unique index under an exclusive lock: build it concurrently, then USING INDEX"),
    (re.compile(rf"^ALTER TABLE {TABLE} ALTER COLUMN \S+ TYPE (?!varchar\(\d+\)|text\b)"),
     "rewrites the whole table: add a new column, copy in batches, then switch"),
    (re.compile(rf"^ALTER TABLE {TABLE} ALTER COLUMN \S+ SET NOT NULL"),
     "scans every row under an exclusive lock: add a NOT VALID CHECK (col IS NOT NULL) first"),
]  # fmt: skip
CREATED = re.compile(rf"^CREATE TABLE {TABLE}")


@dataclass(frozen=True)
class Finding:
    migration: str
    statement: str
    why: str


def _statements(executor: MigrationExecutor, app: str, name: str) -> list[str]:
    migration = executor.loader.get_migration(app, name)
    state = executor.loader.project_state((app, name), at_end=False)
    with connection.schema_editor(collect_sql=True, atomic=migration.atomic) as editor:
        migration.apply(state, editor, collect_sql=True)
    return [" ".join(sql.split()) for sql in editor.collected_sql]


def long_locks() -> list[Finding]:
    """Every statement of our migrations that would hold a lock on a live table for long."""
    assert connection.vendor == "postgresql", "the SQL to read is PostgreSQL's"
    executor = MigrationExecutor(connection)
    loader: MigrationLoader = executor.loader
    found = []
    for app, name in sorted(loader.disk_migrations):
        module = loader.disk_migrations[(app, name)].__module__
        if not module.startswith(OURS):
            continue
        statements = _statements(executor, app, name)
        created = {m["table"] for s in statements if (m := CREATED.match(s))}
        for statement in statements:
            for rule, why in RULES:
                match = rule.match(statement)
                if match and match["table"] not in created:
                    found.append(Finding(f"{app}.{name}", statement[:160], why))
    return found
