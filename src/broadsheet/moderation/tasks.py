"""Background tasks of the moderation app."""

from django.tasks import task

from broadsheet.moderation import newsroom


@task()
def train_newsroom_model() -> str:
    """Train the newsroom model on the desk's decisions; for a worker's schedule (nightly)."""
    return newsroom.train().message
