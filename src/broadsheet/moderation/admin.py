"""The audit log, reports and blocked domains read-only in the admin; thresholds editable."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from broadsheet.accounts.models import User
from broadsheet.core.admin import ReadOnlyAdmin
from broadsheet.core.models import AuditEntry
from broadsheet.moderation.models import BlockedDomain, Report, Thresholds
from broadsheet.moderation.services import THRESHOLD_FIELDS, set_thresholds


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "actor", "action", "target_type", "target_id", "reason"]
    list_filter = ["action"]
    search_fields = ["action", "reason", "target_id", "actor__email"]
    date_hierarchy = "created_at"


@admin.register(Report)
class ReportAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "comment", "reader", "reason", "resolved_at"]
    list_filter = ["reason"]


@admin.register(Thresholds)
class ThresholdsAdmin(admin.ModelAdmin[Thresholds]):
    """The site's thresholds, also on the desk; saving here reaches every process too."""

    list_display = ["__str__", "toxicity", "newsroom", "spam", "strict_margin", "threats"]
    exclude = ["updated_by"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not Thresholds.objects.exists()

    def save_model(self, request: HttpRequest, obj: Thresholds, form: Any, change: bool) -> None:
        values = {name: getattr(obj, name) for name in THRESHOLD_FIELDS}
        assert isinstance(request.user, User)
        set_thresholds(request.user, **values)


@admin.register(BlockedDomain)
class BlockedDomainAdmin(ReadOnlyAdmin):
    list_display = ["domain", "note", "added_by", "created_at"]
    search_fields = ["domain"]
