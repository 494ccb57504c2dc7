"""Background tasks of the appeals app."""

from django.tasks import task

from broadsheet.appeals import mail


@task()
def send_notice_email(notice_id: int, what: str) -> str:
    """The receipt or the outcome of an illegal-content notice, to its sender; runs once."""
    return mail.send_notice_email(notice_id, what)
