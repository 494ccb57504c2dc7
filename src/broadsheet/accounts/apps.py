from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AccountsConfig(AppConfig):
    name = "broadsheet.accounts"
    label = "accounts"

    def ready(self) -> None:
        from broadsheet.accounts.roles import ensure_roles

        # Groups need the permissions that Django itself creates after migrating.
        post_migrate.connect(ensure_roles, dispatch_uid="broadsheet.accounts.roles")
