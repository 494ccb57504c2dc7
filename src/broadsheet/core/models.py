from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy


class AuditEntry(models.Model):
    """One line of the append-only audit log: who did what to what, when and why.

    Rows are written by `broadsheet.core.audit.record` and never updated or deleted.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=80, help_text=gettext_lazy("source:subject:action"))
    target_type = models.CharField(max_length=40)
    target_id = models.CharField(max_length=40)
    reason = models.TextField(blank=True)
    details = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.action} {self.target_type}#{self.target_id}"
