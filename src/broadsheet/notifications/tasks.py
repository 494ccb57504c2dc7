"""Background tasks of the notifications app."""

from django.tasks import task

from broadsheet.notifications import activity, digest, mail


@task()
def deliver_email(delivery_id: int) -> str:
    """Send one queued e-mail (see mail.send); safe to run twice."""
    return mail.send(delivery_id)


@task()
def notify_comment(comment_id: int) -> int:
    return activity.notify_comment(comment_id)


@task()
def notify_featured(comment_id: int) -> int:
    return activity.notify_featured(comment_id)


@task()
def send_daily_digests() -> int:
    """Today's digests, for a worker's schedule; the same as the `send_digests` command."""
    return digest.send_digests()


@task()
def retry_email() -> int:
    """Send e-mail whose earlier attempt failed and is due again."""
    return mail.retry_due()
