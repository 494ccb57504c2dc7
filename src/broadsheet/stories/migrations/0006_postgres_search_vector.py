"""On PostgreSQL, a tsvector column kept up to date by a trigger and indexed with GIN, so a
search reads neither every story nor its whole text. SQLite has its FTS5 table (0003).

The column uses the text search configuration (language) set when this migration runs:
STORY_SEARCH_CONFIG, "english" by default.
"""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from broadsheet.stories import conf
    from broadsheet.stories.fts import postgres_statements

    for sql in postgres_statements(conf.search_config()):
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    from broadsheet.stories.fts import POSTGRES_DROP

    for sql in POSTGRES_DROP:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("stories", "0005_sqlite_fts_triggers")]

    operations = [migrations.RunPython(create, drop)]
