"""Fixtures for the comments tests: demo readers, a story, and helpers to post as them."""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from broadsheet.accounts.models import User
from broadsheet.comments.models import Comment
from broadsheet.moderation.models import Sanction
from broadsheet.stories.models import Story
from broadsheet.subscriptions.models import Plan, Subscription

STORY = "city-council-approves-night-bus-network"


@pytest.fixture(autouse=True)
def _no_rate_limits(settings: Any) -> None:
    """Most tests post quickly; the rate-limit tests switch the limits back on."""
    settings.COMMENT_RATE_LIMIT_SECONDS = 0
    settings.COMMENT_BURST_PER_HOUR = 0


@pytest.fixture
def story(demo: dict[str, Any]) -> Story:
    return Story.objects.get(slug=STORY)


@pytest.fixture
def users(demo: dict[str, Any]) -> dict[str, User]:
    return {email.split("@")[0]: user for email, user in demo["users"].items()}


@pytest.fixture
def member(users: dict[str, User]) -> User:
    return users["member"]


@pytest.fixture
def client_for(users: dict[str, User]) -> Callable[[str], Client]:
    def make(name: str) -> Client:
        client = Client()
        if name != "visitor":
            client.force_login(users[name])
        return client

    return make


def make_banned(user: User) -> Sanction:
    return Sanction.objects.create(
        reader=user, kind=Sanction.Kind.BAN, reason="abuse", starts_at=timezone.now()
    )


def make_suspended(user: User, days: int = 3) -> Sanction:
    return Sanction.objects.create(
        reader=user,
        kind=Sanction.Kind.SUSPENSION,
        reason="heat",
        starts_at=timezone.now() - timedelta(hours=1),
        ends_at=timezone.now() + timedelta(days=days),
    )


def make_lapsed(user: User) -> Subscription:
    """End the reader's subscription: they fall back to the free plan."""
    now = timezone.now()
    Subscription.objects.filter(reader=user).delete()
    return Subscription.objects.create(
        reader=user,
        plan=Plan.objects.get(slug="digital-plus"),
        status=Subscription.Status.EXPIRED,
        started_at=now - timedelta(days=60),
        current_period_end=now - timedelta(days=5),
        ended_at=now - timedelta(days=5),
    )


def published(story: Story) -> list[Comment]:
    return list(Comment.objects.filter(story=story, status=Comment.Status.PUBLISHED))
