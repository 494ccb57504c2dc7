"""`manage.py check_production`: what is wrong with this production configuration, in words."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from broadsheet.core.production import ERROR, run_checks


class Command(BaseCommand):
    help = (
        "Checks the production configuration: secret key, hosts, e-mail, database, Redis, "
        "migrations, static files and the task worker. Exits with 1 if anything is wrong."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        findings = run_checks()
        for finding in findings:
            style = self.style.ERROR if finding.level == ERROR else self.style.WARNING
            label = _("error") if finding.level == ERROR else _("warning")
            self.stdout.write(style(f"{label} [{finding.topic}] {finding.message}"))
        errors = sum(f.level == ERROR for f in findings)
        if errors:
            raise CommandError(
                _("%(count)d problems to fix before going live.") % {"count": errors}
            )
        self.stdout.write(self.style.SUCCESS(_("Ready for production.")))
