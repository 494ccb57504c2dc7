"""The SQLite full-text index of stories (FTS5), kept in sync with the table by triggers.

SQLite drops a table's triggers when Django rebuilds the table during a migration (as it
does for many column changes), so `ensure_sqlite_search_index` runs after every migrate and
puts back whatever is missing, then reindexes. PostgreSQL needs none of this.
"""

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
