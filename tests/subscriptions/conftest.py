"""Fixtures for the subscriptions tests: the default plans, readers and test cards."""

import uuid
from datetime import UTC, datetime
from typing import Any

import pytest

from broadsheet.accounts.models import User
from broadsheet.subscriptions.demo import load_plans
from broadsheet.subscriptions.models import Plan

OK_CARD = {"number": "4242 4242 4242 4242", "exp": "12/30", "cvc": "123"}
DECLINED_CARD = {"number": "4000 0000 0000 0002", "exp": "12/30", "cvc": "123"}
FAILS_LATER_CARD = {"number": "4000 0000 0000 0341", "exp": "12/30", "cvc": "123"}

# A fixed starting moment: tests move time by passing later `now` values.
T0 = datetime(2026, 1, 31, 9, 0, tzinfo=UTC)


def new_key() -> str:
    return uuid.uuid4().hex


@pytest.fixture
def plans(db: Any) -> dict[str, Plan]:
    return load_plans()


@pytest.fixture
def reader(db: Any) -> User:
    return User.objects.create_user("reader@example.com", "a long enough password")


@pytest.fixture
def other_reader(db: Any) -> User:
    return User.objects.create_user("other@example.com", "a long enough password")
