"""Upgrades: our PostgreSQL migrations take no long lock on a table a running site uses.

Reads the SQL each migration runs (broadsheet.core.migration_locks). Migrations that
shipped before this check are listed in KNOWN with what they lock; each ran on a new or
small site. A new one must not lock: the failure says which statement and what to use.
"""

import pytest

from broadsheet.core.migration_locks import long_locks

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

# Released before this check (indexes and constraints on then-small tables): an upgrade
# past them on a big site wants a quiet moment (README, "Upgrading"). Add nothing here.
KNOWN = {
    "accounts.0003_display_name_glyph_key",
    "accounts.0004_email_normalised",
    "comments.0002_threads_and_form_tokens",
    "moderation.0002_terms_reports",
    "stories.0002_topics_slug_history",
    "stories.0007_newest_first_indexes",
    "stories.0009_external_stories",
    "subscriptions.0002_lifecycle_payments_reads",
}


def test_no_new_migration_locks_a_live_table() -> None:
    found = [f for f in long_locks() if f.migration not in KNOWN]
    assert not found, "\n".join(f"{f.migration}: {f.statement}\n  {f.why}" for f in found)
