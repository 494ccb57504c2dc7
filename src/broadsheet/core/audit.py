"""The one way to write to the audit log."""

from typing import Any

from django.db import models

from broadsheet.core.models import AuditEntry


def record(
    actor: Any,
    action: str,
    target: models.Model,
    *,
    reason: str = "",
    **details: Any,
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        reason=reason,
        details=details,
    )
