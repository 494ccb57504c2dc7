"""E-mail about a reader's data requests, sent by the task worker once the transaction commits."""

from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string

from broadsheet.accounts.mail import deliver


def send(to: str, template: str, context: dict[str, Any]) -> None:
    """Send `privacy/email/<template>_subject.txt` and `_body.txt` to `to`, after commit."""
    context = {"SITE_NAME": settings.SITE_NAME, **context}
    subject = " ".join(render_to_string(f"privacy/email/{template}_subject.txt", context).split())
    body = render_to_string(f"privacy/email/{template}_body.txt", context)
    transaction.on_commit(lambda: deliver.enqueue(to, subject, body))


def site_link(path: str) -> str:
    """An absolute link for an e-mail written by the worker, which has no request."""
    return str(settings.SITE_URL).rstrip("/") + path
