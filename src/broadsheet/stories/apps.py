from django.apps import AppConfig
from django.db.models.signals import post_migrate


class StoriesConfig(AppConfig):
    name = "broadsheet.stories"
    label = "stories"

    def ready(self) -> None:
        from broadsheet.stories.fts import after_migrate

        # A migration that rebuilds the stories table on SQLite drops the search triggers.
        post_migrate.connect(after_migrate, sender=self, dispatch_uid="stories-sqlite-fts")
