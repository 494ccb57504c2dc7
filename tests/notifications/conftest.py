"""Fixtures for the notifications tests: a real SMTP server on 127.0.0.1, readers, a story."""

import socket
import threading
from collections.abc import Callable, Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.test import Client

from broadsheet.accounts.models import User
from broadsheet.comments import services as comments
from broadsheet.comments.models import Comment
from broadsheet.config.mail import mailer_from_url
from broadsheet.stories.models import Story

STORY = "city-council-approves-night-bus-network"


class Mailbox:
    """What the SMTP server received; it can refuse the next messages like a busy server."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.refuse_next = 0
        self._lock = threading.Lock()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        with self._lock:
            if self.refuse_next:
                self.refuse_next -= 1
                return "451 4.3.0 Mailbox busy, try again later"
            message = message_from_bytes(envelope.content, policy=policy.default)
            assert isinstance(message, EmailMessage)
            self.messages.append(message)
        return "250 OK"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.messages if address in str(m["To"])]

    def clear(self) -> None:
        self.messages.clear()
        self.refuse_next = 0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def smtp_server() -> Iterator[tuple[Mailbox, int]]:
    mailbox = Mailbox()
    port = _free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield mailbox, port
    controller.stop()


@pytest.fixture
def mailbox(smtp_server: tuple[Mailbox, int], settings: Any) -> Mailbox:
    """The real SMTP server, emptied, with the site's mailer pointed at it."""
    mailbox, port = smtp_server
    mailbox.clear()
    settings.MAILERS = {"default": mailer_from_url(f"smtp://127.0.0.1:{port}/?timeout=5")}
    settings.SITE_URL = "https://news.example.com"
    return mailbox


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
