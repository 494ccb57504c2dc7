from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "broadsheet.core"
    label = "core"

    def ready(self) -> None:
        from django.conf import settings
        from django.contrib import admin
        from django.utils.translation import gettext_lazy

        # The editors' desk carries the newsroom's name, not "Django administration".
        admin.site.site_header = settings.SITE_NAME
        admin.site.site_title = settings.SITE_NAME
        admin.site.index_title = gettext_lazy("Newsroom")
        admin.site.site_url = "/"
