from django.conf import settings
from django.db import models


class Sanction(models.Model):
    """A moderator's measure against a reader. Bans and suspensions stop commenting."""

    class Kind(models.TextChoices):
        WARNING = "warning"
        PREMODERATION = "premoderation", "always pre-moderated"
        SUSPENSION = "suspension"
        BAN = "ban"

    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sanctions"
    )
    kind = models.CharField(max_length=14, choices=Kind.choices)
    reason = models.TextField(blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True, help_text="Empty: no end.")
    lifted_at = models.DateTimeField(null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        indexes = [models.Index(fields=["reader", "kind"])]

    def __str__(self) -> str:
        return f"{self.kind} for {self.reader_id}"
