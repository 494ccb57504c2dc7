"""A reader's requests about their own data: a download, a new address, leaving."""

from django.conf import settings
from django.db import models


class DataExport(models.Model):
    """A JSON file of everything the site holds about one reader, prepared by the worker."""

    class Status(models.TextChoices):
        PENDING = "pending", "being prepared"
        READY = "ready"
        FAILED = "failed"

    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    requested_at = models.DateTimeField()
    ready_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # Relative to privacy.conf.export_dir(); a random name, never the reader's.
    file_name = models.CharField(max_length=100, blank=True)
    size = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"data export #{self.pk} ({self.status})"


class EmailChange(models.Model):
    """A reader's request to sign in with another address, until the new one confirms it."""

    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_changes"
    )
    old_email = models.EmailField(max_length=254)
    new_email = models.EmailField(max_length=254)
    requested_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)
    # Set when a newer request replaced it or the old address said "this wasn't me".
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"e-mail change #{self.pk}"


class DeletionRequest(models.Model):
    """A reader's wish to leave: the account is erased at `erase_after` unless they return."""

    reader = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deletion_request"
    )
    requested_at = models.DateTimeField()
    erase_after = models.DateTimeField(db_index=True)
    # True: comments stay, signed "A former reader"; False: their words are removed.
    keep_comments = models.BooleanField()
    # The subscription this request set to end, resumed if the reader comes back.
    cancelled_subscription = models.ForeignKey(
        "subscriptions.Subscription",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    def __str__(self) -> str:
        return f"deletion of reader #{self.reader_id} after {self.erase_after:%Y-%m-%d}"
