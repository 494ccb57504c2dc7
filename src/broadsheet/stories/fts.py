"""Full-text indexes of stories, kept in sync with the table by database triggers.

SQLite: an FTS5 table. SQLite drops a table's triggers when Django rebuilds the table during a
migration (as it does for many column changes), so `ensure_sqlite_search_index` runs after
every migrate and puts back whatever is missing, then reindexes.

PostgreSQL: a `search_vector` tsvector column that only the database knows about (the model
does not, so stories are never loaded with it), filled by a trigger and indexed with GIN.
"""

import re
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

TABLE = """CREATE VIRTUAL TABLE IF NOT EXISTS stories_story_fts USING fts5(
    headline, dek, body, content='stories_story', content_rowid='id',
    tokenize='porter unicode61 remove_diacritics 2'
)"""

TRIGGERS = {
    "stories_story_fts_insert": """CREATE TRIGGER IF NOT EXISTS stories_story_fts_insert
    AFTER INSERT ON stories_story BEGIN
        INSERT INTO stories_story_fts(rowid, headline, dek, body)
        VALUES (new.id, new.headline, new.dek, new.body);
    END""",
    "stories_story_fts_delete": """CREATE TRIGGER IF NOT EXISTS stories_story_fts_delete
    AFTER DELETE ON stories_story BEGIN
        INSERT INTO stories_story_fts(stories_story_fts, rowid, headline, dek, body)
        VALUES ('delete', old.id, old.headline, old.dek, old.body);
    END""",
    # Only the indexed columns: comment counters change often and must not reindex the text.
    "stories_story_fts_update": """CREATE TRIGGER IF NOT EXISTS stories_story_fts_update
    AFTER UPDATE OF headline, dek, body ON stories_story BEGIN
        INSERT INTO stories_story_fts(stories_story_fts, rowid, headline, dek, body)
        VALUES ('delete', old.id, old.headline, old.dek, old.body);
        INSERT INTO stories_story_fts(rowid, headline, dek, body)
        VALUES (new.id, new.headline, new.dek, new.body);
    END""",
}

REBUILD = "INSERT INTO stories_story_fts(stories_story_fts) VALUES ('rebuild')"


def ensure_sqlite_search_index(connection: BaseDatabaseWrapper) -> bool:
    """Create the index and its triggers where missing; True if anything had to be made."""
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE name = 'stories_story' OR "
            "name = 'stories_story_fts' OR name LIKE 'stories_story_fts_%'"
        )
        present = {row[0] for row in cursor.fetchall()}
        if "stories_story" not in present:
            return False  # migrations have not reached the stories table yet
        wanted = {"stories_story_fts", *TRIGGERS}
        if wanted <= present:
            return False
        cursor.execute(TABLE)
        for sql in TRIGGERS.values():
            cursor.execute(sql)
        cursor.execute(REBUILD)
    return True


def after_migrate(using: str = "default", **kwargs: Any) -> None:
    from django.db import connections

    ensure_sqlite_search_index(connections[using])


POSTGRES_FUNCTION = """CREATE OR REPLACE FUNCTION stories_story_search_vector()
RETURNS trigger AS $$
BEGIN
    NEW.search_vector :=
        setweight(to_tsvector('{config}'::regconfig, coalesce(NEW.headline, '')), 'A') ||
        setweight(to_tsvector('{config}'::regconfig, coalesce(NEW.dek, '')), 'B') ||
        setweight(to_tsvector('{config}'::regconfig, coalesce(NEW.body, '')), 'C');
    RETURN NEW;
END
$$ LANGUAGE plpgsql"""

POSTGRES_CREATE = [
    "ALTER TABLE stories_story ADD COLUMN IF NOT EXISTS search_vector tsvector",
    POSTGRES_FUNCTION,
    "DROP TRIGGER IF EXISTS stories_story_search_vector ON stories_story",
    """CREATE TRIGGER stories_story_search_vector
    BEFORE INSERT OR UPDATE OF headline, dek, body ON stories_story
    FOR EACH ROW EXECUTE FUNCTION stories_story_search_vector()""",
    # Fire the trigger once for the stories already there.
    "UPDATE stories_story SET headline = headline",
    """CREATE INDEX IF NOT EXISTS stories_story_search_gin
    ON stories_story USING GIN (search_vector)""",
]

POSTGRES_DROP = [
    "DROP INDEX IF EXISTS stories_story_search_gin",
    "DROP TRIGGER IF EXISTS stories_story_search_vector ON stories_story",
    "DROP FUNCTION IF EXISTS stories_story_search_vector()",
    "ALTER TABLE stories_story DROP COLUMN IF EXISTS search_vector",
]


def postgres_statements(config: str) -> list[str]:
    """The statements that create PostgreSQL's search column for a text search config."""
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", config):
        raise ValueError(f"STORY_SEARCH_CONFIG must be a PostgreSQL config name, not {config!r}")
    return [sql.replace("{config}", config) for sql in POSTGRES_CREATE]
