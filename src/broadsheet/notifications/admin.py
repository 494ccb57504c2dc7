from django.contrib import admin

from broadsheet.core.admin import ReadOnlyAdmin
from broadsheet.notifications.models import Delivery


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    """E-mails sent, waiting or failed: what an operator checks when a reader says
    "I never got it". Read-only: the task and `retry_email` are the only writers."""

    list_display = ["created_at", "kind", "recipient", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind"]
    search_fields = ["recipient__email", "event_key"]
    date_hierarchy = "created_at"
    list_select_related = ["recipient"]
