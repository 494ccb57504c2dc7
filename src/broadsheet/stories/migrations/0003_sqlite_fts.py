"""Full-text search on SQLite: an FTS5 index over published text, kept in sync by triggers.

PostgreSQL searches with its own full-text functions at query time, so nothing is created there.
"""

from django.db import migrations

CREATE = [
    """CREATE VIRTUAL TABLE stories_story_fts USING fts5(
        headline, dek, body, content='stories_story', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2'
    )""",
    """CREATE TRIGGER stories_story_fts_insert AFTER INSERT ON stories_story BEGIN
        INSERT INTO stories_story_fts(rowid, headline, dek, body)
        VALUES (new.id, new.headline, new.dek, new.body);
    END""",
    """CREATE TRIGGER stories_story_fts_delete AFTER DELETE ON stories_story BEGIN
        INSERT INTO stories_story_fts(stories_story_fts, rowid, headline, dek, body)
        VALUES ('delete', old.id, old.headline, old.dek, old.body);
    END""",
    # Only the indexed columns: comment counters change often and must not reindex the text.
    """CREATE TRIGGER stories_story_fts_update AFTER UPDATE OF headline, dek, body ON stories_story
    BEGIN
        INSERT INTO stories_story_fts(stories_story_fts, rowid, headline, dek, body)
        VALUES ('delete', old.id, old.headline, old.dek, old.body);
        INSERT INTO stories_story_fts(rowid, headline, dek, body)
        VALUES (new.id, new.headline, new.dek, new.body);
    END""",
    "INSERT INTO stories_story_fts(stories_story_fts) VALUES ('rebuild')",
]

DROP = [
    "DROP TRIGGER IF EXISTS stories_story_fts_update",
    "DROP TRIGGER IF EXISTS stories_story_fts_delete",
    "DROP TRIGGER IF EXISTS stories_story_fts_insert",
    "DROP TABLE IF EXISTS stories_story_fts",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "sqlite":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("stories", "0002_topics_slug_history")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
