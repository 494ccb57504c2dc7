from django.apps import AppConfig


class EmbedConfig(AppConfig):
    name = "broadsheet.embed"
    label = "embed"
    verbose_name = "embedding in other sites"
