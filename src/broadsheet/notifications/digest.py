"""The daily digest: one e-mail a day per reader with what they chose to get that way.

Idempotent per day: the digest is a Delivery keyed `digest:<date>`, so a second run on
the same day finds it and sends nothing; notifications that arrive after the first run
wait for the next day's digest.
"""

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from broadsheet.notifications import mail
from broadsheet.notifications.models import Notification

DIGEST = Notification.Email.DIGEST


def send_digests(day: date | None = None, *, now: datetime | None = None) -> int:
    """Queue today's digest for every reader with something waiting; returns how many."""
    now = now or timezone.now()
    day = day or timezone.localdate(now)
    waiting = Notification.objects.filter(email=DIGEST, digest__isnull=True, created_at__lte=now)
    readers = sorted(set(waiting.values_list("recipient_id", flat=True)))
    queued = 0
    for reader_id in readers:
        with transaction.atomic():
            delivery = mail.queue(
                reader_id, "digest", f"digest:{day.isoformat()}", payload={"day": day.isoformat()}
            )
            if delivery is None:
                continue  # this reader's digest for the day is already on its way
            waiting.filter(recipient_id=reader_id).update(digest=delivery)
            queued += 1
    return queued
