"""The audit log and reports, read-only in the admin; decisions are made on the desk."""

from django.contrib import admin

from broadsheet.core.admin import ReadOnlyAdmin
from broadsheet.core.models import AuditEntry
from broadsheet.moderation.models import Report


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
