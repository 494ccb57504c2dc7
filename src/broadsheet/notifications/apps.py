from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "broadsheet.notifications"
    verbose_name = "Notifications"
