from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest

from broadsheet.appeals import guidelines
from broadsheet.appeals.models import Guideline
from broadsheet.core.exceptions import ServiceError


@admin.register(Guideline)
class GuidelineAdmin(admin.ModelAdmin[Guideline]):
    """Editors write the community guidelines here; each section's slug is its anchor."""

    list_display = ["title", "slug", "position", "updated_at"]
    ordering = ["position", "pk"]
    fields = ["title", "slug", "position", "body"]
    prepopulated_fields = {"slug": ["title"]}

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        # Decisions link to a section by its anchor: renaming it would break those links.
        return ["slug"] if obj is not None else []

    def get_prepopulated_fields(self, request: HttpRequest, obj: Any = None) -> dict[str, Any]:
        return {} if obj is not None else dict(self.prepopulated_fields)

    def save_model(self, request: HttpRequest, obj: Guideline, form: Any, change: bool) -> None:
        try:
            guidelines.save(request.user, obj)
        except ServiceError as error:
            messages.error(request, error.message)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # decisions refer to sections; retire one by rewording it
