"""Fixtures for the notifications tests: a real SMTP server (smtp.py), readers, a story."""

from collections.abc import Callable
from email.message import EmailMessage
from typing import Any

import pytest
from django.test import Client

from broadsheet.accounts.models import User
from broadsheet.comments import services as comments
from broadsheet.comments.models import Comment
from broadsheet.stories.models import Story
from tests.notifications.smtp import Mailbox, mailbox, smtp_server  # noqa: F401

STORY = "city-council-approves-night-bus-network"


@pytest.fixture(autouse=True)
def _no_rate_limits(settings: Any) -> None:
    settings.COMMENT_RATE_LIMIT_SECONDS = 0
    settings.COMMENT_BURST_PER_HOUR = 0


@pytest.fixture
def story(demo: dict[str, Any]) -> Story:
    return Story.objects.get(slug=STORY)


@pytest.fixture
def users(demo: dict[str, Any]) -> dict[str, User]:
    return {email.split("@")[0]: user for email, user in demo["users"].items()}


@pytest.fixture
def client_for(users: dict[str, User]) -> Callable[[str], Client]:
    def make(name: str) -> Client:
        client = Client()
        if name != "visitor":
            client.force_login(users[name])
        return client

    return make


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Callable[..., Any]:
    """Run a write as if its transaction committed: the tasks it queues run too."""

    def run(action: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


@pytest.fixture
def post(committed: Callable[..., Any]) -> Callable[..., Comment]:
    """Post as a reader (a reply when `to` is given), committed."""

    def run(author: User, story: Story, text: str, to: Comment | None = None) -> Comment:
        if to is not None:
            return committed(comments.reply_to, author, to.pk, text)
        return committed(comments.post_comment, author, story, text)

    return run


def text_part(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def html_part(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("html",))
    assert part is not None
    return str(part.get_content())
