"""E-mail to readers, sent at most once per (event, reader, channel).

The service that causes an e-mail calls `queue()` inside its transaction: that writes a
Delivery row (unique per event, reader and channel, so a retried job or a repeated call
adds nothing) and, once the transaction commits, hands its id to the `deliver_email`
task. The task claims the row, builds the message from what is true *now* (a comment
deleted or a setting turned off since means nothing is sent), and sends it. A failure of
the mail server leaves the row `failed` with a time for the next attempt; a sent row is
never sent again.
"""

import hashlib
import logging
import smtplib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from broadsheet.accounts.models import User
from broadsheet.notifications.models import Delivery, Notification
from broadsheet.notifications.preferences import TOPIC_LABELS
from broadsheet.notifications.tokens import make_token

logger = logging.getLogger(__name__)

# Seconds to wait before each further attempt after a failure; then it gives up.
RETRY_DELAYS = (60, 5 * 60, 30 * 60, 2 * 3600, 6 * 3600)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
# A "sending" row older than this belongs to a worker that died; it may be tried again.
STALE_CLAIM = timedelta(minutes=10)


@dataclass(frozen=True)
class Email:
    """A message ready to send. `topic` is what its unsubscribe link turns off."""

    subject: str
    text: str
    html: str
    topic: str


def site_url() -> str:
    return str(settings.SITE_URL).rstrip("/")


def unsubscribe_url(reader_id: int, topic: str) -> str:
    return f"{site_url()}/notifications/unsubscribe/{make_token(reader_id, topic)}/"


def render_email(template: str, context: dict[str, Any], *, topic: str) -> Email:
    """`template` holds three partials: subject, text and html."""
    context = {"SITE_NAME": settings.SITE_NAME, "SITE_URL": site_url(), **context}
    subject = " ".join(render_to_string(f"{template}#subject", context).split())
    text = render_to_string(f"{template}#text", context).strip()
    html = render_to_string(f"{template}#html", context).strip()
    return Email(subject=subject, text=text, html=html, topic=topic)


# --- queueing ------------------------------------------------------------------------------


def queue(
    recipient_id: int,
    kind: str,
    event_key: str,
    *,
    notification: Notification | None = None,
    payload: dict[str, Any] | None = None,
) -> Delivery | None:
    """Record an e-mail to send after the current transaction commits.

    Returns the new Delivery, or None if this event was already e-mailed to this reader.
    """
    delivery, created = Delivery.objects.get_or_create(
        event_key=event_key,
        recipient_id=recipient_id,
        channel=Delivery.Channel.EMAIL,
        defaults={"kind": kind, "notification": notification, "payload": payload or {}},
    )
    if not created:
        return None
    transaction.on_commit(lambda: enqueue(delivery.pk))
    return delivery


def enqueue(delivery_id: int, *, run_after: datetime | None = None) -> None:
    from broadsheet.notifications.tasks import deliver_email

    task = deliver_email
    if run_after is not None:
        if not deliver_email.get_backend().supports_defer:
            return  # `retry_email` (the command) picks it up when it is due
        task = deliver_email.using(run_after=run_after)
    task.enqueue(delivery_id)


# --- sending -------------------------------------------------------------------------------


def _claim(delivery_id: int, now: datetime) -> bool:
    """Take the row for this attempt; False if it is sent, being sent, or not due yet."""
    claimable = Q(status__in=[Delivery.Status.PENDING, Delivery.Status.FAILED]) & (
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    )
    stale = Q(status=Delivery.Status.SENDING, claimed_at__lt=now - STALE_CLAIM)
    return bool(
        Delivery.objects.filter(
            claimable | stale, pk=delivery_id, attempts__lt=MAX_ATTEMPTS
        ).update(status=Delivery.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )


def _message_id(delivery: Delivery) -> str:
    # The same Message-ID on every attempt: a receiving server can drop a duplicate.
    domain = urlsplit(site_url()).hostname or "localhost"
    digest = hashlib.sha256(f"{delivery.pk}:{delivery.event_key}".encode()).hexdigest()[:16]
    return f"<{delivery.kind}.{delivery.pk}.{digest}@{domain}>"


def build_message(delivery: Delivery, email: Email) -> EmailMultiAlternatives:
    recipient: User = delivery.recipient
    unsubscribe = unsubscribe_url(recipient.pk, email.topic)
    context = {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": site_url(),
        "email": email,
        "unsubscribe_url": unsubscribe,
        "topic_label": TOPIC_LABELS.get(email.topic, email.topic),
        "settings_url": f"{site_url()}/accounts/notifications/",
    }
    text = render_to_string("notifications/email/layout.txt", context)
    html = render_to_string("notifications/email/layout.html", context)
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=text,
        to=[recipient.email],
        headers={
            "Message-ID": _message_id(delivery),
            # RFC 8058: mail programs offer an "Unsubscribe" button that POSTs here.
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
    message.attach_alternative(html, "text/html")
    return message


def send(delivery_id: int, *, now: datetime | None = None) -> str:
    """Send one queued e-mail. Returns sent, skipped, failed, or "" if there was nothing to do."""
    from broadsheet.notifications.builders import build

    now = now or timezone.now()
    if not _claim(delivery_id, now):
        return ""
    delivery = Delivery.objects.select_related("recipient").get(pk=delivery_id)
    # In the reader's language (chosen with the picker), whoever's request caused it.
    with translation.override(delivery.recipient.language or settings.LANGUAGE_CODE):
        email = build(delivery) if delivery.recipient.is_active else None
        message = build_message(delivery, email) if email is not None else None
    if message is None:
        Delivery.objects.filter(pk=delivery.pk).update(status=Delivery.Status.SKIPPED)
        return "skipped"
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        attempts = delivery.attempts
        retry_at = (
            now + timedelta(seconds=RETRY_DELAYS[attempts - 1]) if attempts < MAX_ATTEMPTS else None
        )
        Delivery.objects.filter(pk=delivery.pk).update(
            status=Delivery.Status.FAILED,
            next_attempt_at=retry_at,
            last_error=f"{type(error).__name__}: {error}"[:300],
        )
        logger.warning("e-mail %s failed (attempt %s): %s", delivery.pk, attempts, error)
        if retry_at is not None:
            enqueue(delivery.pk, run_after=retry_at)
        return "failed"
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.SENT, sent_at=timezone.now(), last_error=""
    )
    return "sent"


def retry_due(now: datetime | None = None) -> int:
    """Send every e-mail whose earlier attempt failed and is due again; returns how many."""
    now = now or timezone.now()
    due = Delivery.objects.filter(
        Q(status=Delivery.Status.FAILED, next_attempt_at__lte=now)
        | Q(status=Delivery.Status.PENDING, created_at__lte=now - STALE_CLAIM)
        | Q(status=Delivery.Status.SENDING, claimed_at__lt=now - STALE_CLAIM),
        attempts__lt=MAX_ATTEMPTS,
    ).values_list("pk", flat=True)
    return sum(send(pk, now=now) == "sent" for pk in list(due))


Builder = Callable[[Delivery], Email | None]
