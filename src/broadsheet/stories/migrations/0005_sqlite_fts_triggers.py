"""Put back the SQLite search triggers that the table rebuild in 0004 dropped."""

from django.db import migrations


def ensure(apps, schema_editor):
    from broadsheet.stories.fts import ensure_sqlite_search_index

    ensure_sqlite_search_index(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("stories", "0004_top_story")]

    operations = [migrations.RunPython(ensure, migrations.RunPython.noop)]
