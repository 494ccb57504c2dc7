"""Work the task worker does for readers' data requests."""

from django.tasks import task


@task()
def prepare_download(export_id: int) -> None:
    from broadsheet.privacy.downloads import prepare

    prepare(export_id)
