"""Two readers racing for one name against the real database: exactly one gets it."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection

from broadsheet.accounts import services
from broadsheet.accounts.models import User
from broadsheet.core.exceptions import ServiceError

pytestmark = pytest.mark.django_db(transaction=True)


def race(names: list[str]) -> list[str]:
    """Each of len(names) new readers asks for its name at the same moment; their outcomes."""
    readers = [User.objects.create_user(f"racer{i}@example.com", "x") for i in range(len(names))]
    start = threading.Barrier(len(readers))

    def attempt(reader: User, name: str) -> str:
        try:
            start.wait()
            services.set_display_name(reader, name)
        except ServiceError as error:
            return error.code
        finally:
            connection.close()  # each thread has its own connection
        return "won"

    with ThreadPoolExecutor(max_workers=len(readers)) as pool:
        return list(pool.map(attempt, readers, names))


@pytest.mark.parametrize(
    "names",
    [
        ["Harbour Watcher", "Harbour Watcher"],
        ["Harbour Watcher", "harbour_watcher"],
        ["Harbour Watcher", "Hаrbour Wаtcher", "HARBOUR WATCHER"],  # noqa: RUF001 - Cyrillic a
    ],
)
def test_exactly_one_reader_gets_a_name_asked_for_at_once(names: list[str]) -> None:
    outcomes = race(names)
    assert sorted(outcomes) == ["taken"] * (len(names) - 1) + ["won"]
    keys = User.objects.exclude(display_name_key=None).values_list("display_name_key", flat=True)
    assert len(keys) == 1


@pytest.mark.postgres
def test_on_postgresql_the_unique_index_decides_a_true_tie() -> None:
    # On PostgreSQL both transactions pass the read check together; the index stops one.
    for _ in range(5):
        User.objects.all().delete()
        assert sorted(race(["Quayside", "QUAYSIDE"])) == ["taken", "won"]
