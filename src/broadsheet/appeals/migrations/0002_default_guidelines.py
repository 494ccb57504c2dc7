from typing import Any

from django.db import migrations


def install(apps: Any, schema_editor: Any) -> None:
    from broadsheet.appeals.defaults import install as install_defaults

    install_defaults(apps.get_model("appeals", "Guideline"))


class Migration(migrations.Migration):
    dependencies = [("appeals", "0001_statements_appeals_notices_guidelines")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
