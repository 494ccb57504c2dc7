"""Fixtures for the embed tests: a registered newsroom site and tokens signed for it."""

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest

from broadsheet.embed import services
from broadsheet.embed.models import Site

NEWSROOM = "https://news.example.com"


@pytest.fixture(autouse=True)
def _no_rate_limits(settings: Any) -> None:
    settings.COMMENT_RATE_LIMIT_SECONDS = 0
    settings.COMMENT_BURST_PER_HOUR = 0


@pytest.fixture
def site(demo: dict[str, Any]) -> Site:
    return Site.objects.create(
        name="The Example News", key="example", allowed_origins=NEWSROOM, create_stories=True
    )


@pytest.fixture
def secret(site: Site) -> str:
    return services.issue_secret(site)


Signer = Callable[..., str]


@pytest.fixture
def sign(secret: str) -> Signer:
    """A token as the newsroom's server makes it; keyword arguments change or drop claims."""

    def make(key: str | None = None, now: datetime | None = None, **changes: Any) -> str:
        now = now or datetime.now(UTC)
        claims: dict[str, Any] = {
            "sub": "reader-1",
            "email": "ada@news.example.com",
            "name": "Ada Lovelace",
            "plan": "digital-plus",
            "aud": "example",
            "iat": int(now.timestamp()),
            "exp": int((now + timedelta(minutes=5)).timestamp()),
            "jti": uuid.uuid4().hex,
        }
        claims.update(changes)
        claims = {name: value for name, value in claims.items() if value is not None}
        return jwt.encode(claims, key or secret, algorithm="HS256")

    return make
