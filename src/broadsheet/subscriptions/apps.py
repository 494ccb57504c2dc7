from django.apps import AppConfig


class SubscriptionsConfig(AppConfig):
    name = "broadsheet.subscriptions"
    label = "subscriptions"
