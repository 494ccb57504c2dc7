from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class SubscriptionsConfig(AppConfig):
    name = "broadsheet.subscriptions"
    label = "subscriptions"

    def ready(self) -> None:
        from broadsheet.comments.gate import forget_commenting_plans
        from broadsheet.subscriptions.models import Plan

        # The gate names the plans that include commenting from the shared cache.
        post_save.connect(forget_commenting_plans, sender=Plan, dispatch_uid="gate-plans")
        post_delete.connect(forget_commenting_plans, sender=Plan, dispatch_uid="gate-plans-del")
