"""Download my data: asked for on the account page, prepared by the worker, fetched by a link.

The link is signed, names the reader and expires; the file lives under
privacy.conf.export_dir() with a random name and is removed when the link expires.
"""

import json
import logging
import secrets
from datetime import datetime
from pathlib import Path

from django.core import signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from broadsheet.accounts.models import User
from broadsheet.core import audit
from broadsheet.core.exceptions import ServiceError
from broadsheet.privacy import conf, exports, mail
from broadsheet.privacy.models import DataExport

log = logging.getLogger(__name__)
SALT = "broadsheet.privacy.download"


def latest(user: User) -> DataExport | None:
    return DataExport.objects.filter(reader=user).first()


def request_download(user: User) -> DataExport:
    """Ask the worker for a new file; refused while one is still being prepared."""
    from broadsheet.privacy.tasks import prepare_download

    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()  # one request at a time
        if DataExport.objects.filter(reader=user, status=DataExport.Status.PENDING).exists():
            raise ServiceError(
                _("Your file is already being prepared. We will e-mail you when it is ready."),
                code="pending",
                status=409,
            )
        export = DataExport.objects.create(reader=user, requested_at=timezone.now())
        audit.record(user, "privacy:export:requested", user)
        transaction.on_commit(lambda: prepare_download.enqueue(export.pk))
    return export


def _path(file_name: str) -> Path:
    return conf.export_dir() / file_name


def _remove_file(export: DataExport) -> None:
    if export.file_name:
        _path(export.file_name).unlink(missing_ok=True)


def link_token(export: DataExport) -> str:
    return signing.dumps({"e": export.pk, "r": export.reader_id}, salt=SALT)


def prepare(export_id: int) -> DataExport | None:
    """Write the reader's file and tell them it is ready (the worker's task)."""
    export = DataExport.objects.select_related("reader").filter(pk=export_id).first()
    if export is None or export.status != DataExport.Status.PENDING:
        return export  # already done by another run, or the account is gone
    user = export.reader
    document = json.dumps(exports.collect(user), ensure_ascii=False, indent=2).encode()
    folder = conf.export_dir()
    folder.mkdir(parents=True, exist_ok=True)
    file_name = f"{secrets.token_urlsafe(24)}.json"
    partial = folder / f".{file_name}.part"
    partial.write_bytes(document)
    partial.replace(folder / file_name)  # a reader never gets half a file
    now = timezone.now()
    with transaction.atomic():
        for older in DataExport.objects.filter(reader=user).exclude(pk=export.pk):
            _remove_file(older)
        DataExport.objects.filter(reader=user).exclude(pk=export.pk).delete()
        export.status = DataExport.Status.READY
        export.ready_at = now
        export.expires_at = now + conf.export_link_age()
        export.file_name = file_name
        export.size = len(document)
        export.save(update_fields=["status", "ready_at", "expires_at", "file_name", "size"])
        mail.send(
            user.email,
            "download_ready",
            {
                "link": mail.site_link(reverse("privacy:download", args=[link_token(export)])),
                "expires_at": export.expires_at,
            },
        )
    return export


def open_download(user: User, token: str, *, now: datetime | None = None) -> tuple[Path, str]:
    """The file behind a link, for the reader it was made for; ServiceError otherwise."""
    now = now or timezone.now()
    try:
        data = signing.loads(token, salt=SALT, max_age=conf.export_link_age())
    except signing.SignatureExpired as error:
        raise ServiceError(_expired(), code="expired", status=410) from error
    except signing.BadSignature as error:
        raise ServiceError(
            _("This download link is not valid. Check that you copied all of it."),
            code="invalid",
            status=404,
        ) from error
    if data.get("r") != user.pk:
        raise ServiceError(
            _("This download link belongs to another account. Sign in as its owner to use it."),
            code="other_reader",
            status=403,
        )
    export = DataExport.objects.filter(pk=data.get("e"), reader=user).first()
    if (
        export is None
        or export.status != DataExport.Status.READY
        or export.expires_at is None
        or export.expires_at <= now
        or not _path(export.file_name).is_file()
    ):
        raise ServiceError(_expired(), code="expired", status=410)
    filename = f"broadsheet-data-{export.ready_at:%Y-%m-%d}.json" if export.ready_at else ""
    return _path(export.file_name), filename


def _expired() -> str:
    return _(
        "This download link has expired, or a newer file replaced it. "
        "Ask for a new file on the Your data page of your account."
    )


def remove_expired(now: datetime | None = None) -> int:
    """Delete files whose link has expired, and requests the worker never finished."""
    now = now or timezone.now()
    removed = 0
    for export in DataExport.objects.filter(expires_at__lte=now):
        _remove_file(export)
        export.delete()
        removed += 1
    stale = now - conf.export_link_age()
    DataExport.objects.filter(status=DataExport.Status.PENDING, requested_at__lt=stale).update(
        status=DataExport.Status.FAILED
    )
    return removed


def remove_all(user: User) -> None:
    """Every file of a reader whose account is being erased."""
    for export in DataExport.objects.filter(reader=user):
        _remove_file(export)
