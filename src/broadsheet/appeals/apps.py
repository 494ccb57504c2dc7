from django.apps import AppConfig


class AppealsConfig(AppConfig):
    name = "broadsheet.appeals"
    label = "appeals"
    verbose_name = "Statements, appeals and notices"
