"""Account e-mail: rendered from templates, sent by a task once the transaction commits."""

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string


@task
def deliver(to: str, subject: str, body: str) -> None:
    send_mail(subject, body, None, [to])


def send_account_email(to: str, template: str, context: dict[str, Any]) -> None:
    """Send `accounts/email/<template>_subject.txt` and `_body.txt` to `to`, after commit."""
    context = {"SITE_NAME": settings.SITE_NAME, **context}
    subject = " ".join(render_to_string(f"accounts/email/{template}_subject.txt", context).split())
    body = render_to_string(f"accounts/email/{template}_body.txt", context)
    transaction.on_commit(lambda: deliver.enqueue(to, subject, body))
