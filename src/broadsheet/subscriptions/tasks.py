"""Background tasks of the subscriptions app."""

from django.tasks import task

from broadsheet.subscriptions.renewals import renew_due


@task()
def renew_subscriptions() -> dict[str, int]:
    """The renewal job as a task, for a worker's schedule; the same as the command."""
    return dict(renew_due())
