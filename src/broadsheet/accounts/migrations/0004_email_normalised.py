"""Store every e-mail address in its normalised form, and let the database insist on it."""

import unicodedata

import django.db.models.functions.text
from django.db import migrations, models


def normalise_addresses(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    clashes = []
    for user in User.objects.only("pk", "email").iterator():
        # The same rule as broadsheet.accounts.emails.normalize_email, frozen here.
        normalised = unicodedata.normalize("NFKC", user.email).strip().lower()
        if normalised == user.email:
            continue
        if User.objects.filter(email=normalised).exclude(pk=user.pk).exists():
            clashes.append(f"#{user.pk} {user.email!r}")
            continue
        User.objects.filter(pk=user.pk).update(email=normalised)
    if clashes:
        raise RuntimeError(
            "These accounts' e-mail addresses differ from another account's only by case or "
            "spaces; merge or close them, then migrate again: " + ", ".join(clashes)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_display_name_glyph_key"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(normalise_addresses, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    (
                        "email",
                        django.db.models.functions.text.Lower(
                            django.db.models.functions.text.Trim("email")
                        ),
                    )
                ),
                name="user_email_normalised",
                violation_error_message=(
                    "Store the e-mail address in lower case, without surrounding spaces."
                ),
            ),
        ),
    ]
