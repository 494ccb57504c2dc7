"""Editors register newsroom sites here. A signing secret is shown once, when it is made."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from broadsheet.core.exceptions import ServiceError
from broadsheet.embed import services
from broadsheet.embed.models import Site


class SiteForm(forms.ModelForm[Site]):
    class Meta:
        model = Site
        fields = [
            "name", "key", "allowed_origins", "create_stories", "sign_in_url", "subscribe_url",
        ]  # fmt: skip

    def clean_allowed_origins(self) -> str:
        try:
            return services.clean_origins(self.cleaned_data["allowed_origins"])
        except ServiceError as error:
            raise forms.ValidationError(error.message) from error


def _show_secret(request: HttpRequest, site: Site, secret: str) -> None:
    messages.warning(
        request,
        _("The signing secret of %(name)s is %(secret)s — copy it now: it is not shown again.")
        % {"name": site.name, "secret": secret},
    )


@admin.register(Site)
class SiteAdmin(admin.ModelAdmin[Site]):
    form = SiteForm
    list_display = ["name", "key", "origin_list", "create_stories", "created_at"]
    prepopulated_fields = {"key": ["name"]}
    actions = ["rotate_secret"]

    @admin.display(description=gettext_lazy("allowed origins"))
    def origin_list(self, site: Site) -> str:
        return ", ".join(site.origins)

    def save_model(self, request: HttpRequest, obj: Site, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        if not change:
            _show_secret(request, obj, services.issue_secret(obj))

    @admin.action(
        description=gettext_lazy("Make a new signing secret (the old one works for a grace period)")
    )
    def rotate_secret(self, request: HttpRequest, queryset: QuerySet[Site]) -> None:
        for site in queryset:
            _show_secret(request, site, services.issue_secret(site))
