"""A real SMTP server on 127.0.0.1 (aiosmtpd), with the site's mailer pointed at it."""

import socket
import threading
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from broadsheet.config.mail import mailer_from_url


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
