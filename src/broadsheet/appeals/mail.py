"""E-mail about decisions: statements and appeal outcomes to readers, outcomes to notifiers.

Readers' e-mail goes through the notifications machinery (a Delivery row per event, sent
by the task worker). Someone who sent a notice may have no account, so their two e-mails
(receipt, outcome) are sent by `send_notice_email`, which claims the notice's own
timestamp first so that a retried task sends nothing twice.
"""

import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from broadsheet.appeals.models import Appeal, Notice, Statement
from broadsheet.notifications.mail import Builder, Email, render_email, site_url
from broadsheet.notifications.models import Delivery

logger = logging.getLogger(__name__)
TEMPLATE = "appeals/email/decision.html"
NOTICE_TEMPLATE = "appeals/email/notice.html"


def statement_email(delivery: Delivery) -> Email | None:
    statement = (
        Statement.objects.select_related("comment__story", "guideline", "sanction")
        .filter(pk=delivery.payload.get("statement"), reader_id=delivery.recipient_id)
        .first()
    )
    if statement is None:
        return None
    # A legal notice: sent whatever the reader's e-mail settings.
    return render_email(
        TEMPLATE,
        {
            "kind": "statement",
            "statement": statement,
            "url": site_url() + statement.get_absolute_url(),
        },
        topic="account",
    )


def appeal_outcome_email(delivery: Delivery) -> Email | None:
    found = (
        Appeal.objects.select_related("statement__comment__story", "statement__guideline")
        .filter(pk=delivery.payload.get("appeal"), reader_id=delivery.recipient_id)
        .exclude(status=Appeal.Status.OPEN)
        .first()
    )
    if found is None:
        return None
    return render_email(
        TEMPLATE,
        {
            "kind": "outcome",
            "appeal": found,
            "statement": found.statement,
            "url": site_url() + found.statement.get_absolute_url(),
        },
        topic="account",
    )


BUILDERS: dict[str, Builder] = {
    "statement": statement_email,
    "appeal_outcome": appeal_outcome_email,
}


# --- e-mail to whoever sent a notice ---------------------------------------------------------

NOTICE_FIELDS = {"receipt": "receipt_sent_at", "outcome": "outcome_sent_at"}


def queue_notice_email(notice_id: int, what: str) -> None:
    """After the current transaction commits, send the notice's `what` e-mail."""

    def enqueue() -> None:
        from broadsheet.appeals.tasks import send_notice_email

        send_notice_email.enqueue(notice_id, what)

    transaction.on_commit(enqueue)


def send_notice_email(notice_id: int, what: str) -> str:
    """Send the receipt or the outcome of a notice once; sent, failed or "" (nothing to do)."""
    field = NOTICE_FIELDS[what]
    claimed = Notice.objects.filter(pk=notice_id, **{f"{field}__isnull": True})
    if what == "outcome":
        claimed = claimed.exclude(status=Notice.Status.OPEN)
    if not claimed.update(**{field: timezone.now()}):
        return ""
    notice = Notice.objects.select_related("comment__story").get(pk=notice_id)
    context = {
        "kind": what,
        "notice": notice,
        "comment_url": f"{site_url()}/comments/{notice.comment_id}/",
    }
    email = render_email(NOTICE_TEMPLATE, context, topic="account")
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=f"{email.text}\n\n-- \n{settings.SITE_NAME} · {site_url()}\n",
        to=[notice.email],
        headers={"Auto-Submitted": "auto-generated"},
    )
    message.attach_alternative(email.html, "text/html")
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as error:
        # Give the claim back so that the next run of the task tries again.
        Notice.objects.filter(pk=notice_id).update(**{field: None})
        logger.warning("notice e-mail %s/%s failed: %s", notice_id, what, error)
        return "failed"
    return "sent"
