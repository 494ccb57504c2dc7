from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "broadsheet.privacy"
    verbose_name = "Readers' data"
