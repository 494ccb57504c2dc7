"""Delete my account: asked for with the password, erased after a grace period.

During the grace period (ACCOUNT_DELETION_GRACE_DAYS) the account stays as it was, signed
out everywhere; signing in again cancels the deletion. Then `erase_accounts` (hourly, from
cron) ends the subscription, removes or hands over the comments, scrubs the reader's
address and names from what stays (the audit log, sign-in records, queued e-mail) and
deletes the account; everything else that names the reader goes with it.
"""

import contextlib
import logging
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from broadsheet.accounts.display_names import display_name_glyph_key, display_name_key
from broadsheet.accounts.models import User
from broadsheet.comments.models import Comment, Reaction
from broadsheet.core import audit
from broadsheet.core.exceptions import ServiceError
from broadsheet.core.models import AuditEntry
from broadsheet.privacy import conf, downloads, mail
from broadsheet.privacy.models import DeletionRequest, EmailChange

log = logging.getLogger(__name__)

FORMER_READER_EMAIL = "former-reader@broadsheet.invalid"
FORMER_READER_NAME = "A former reader"
ERASED = "[erased]"
REMOVED_REASON = "Removed when its author deleted their account."


# --- asking and changing one's mind ----------------------------------------------------------


def request_deletion(user: User, *, keep_comments: bool, base_url: str) -> DeletionRequest:
    """Schedule the erasure of `user` (whose password the caller has checked)."""
    from broadsheet.subscriptions import services as subscriptions

    now = timezone.now()
    erase_after = now + conf.deletion_grace()
    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        current = subscriptions.current_subscription(user)
        cancelled = None
        if current is not None and not current.cancel_at_period_end:
            # No renewal while the reader is leaving; resumed if they come back.
            cancelled = subscriptions.cancel(user, subscription_id=current.pk, now=now)
            if not cancelled.cancel_at_period_end:
                cancelled = None  # an overdue one ends at once and cannot be resumed
        request, _created = DeletionRequest.objects.update_or_create(
            reader=user,
            defaults={
                "requested_at": now,
                "erase_after": erase_after,
                "keep_comments": keep_comments,
                "cancelled_subscription": cancelled,
            },
        )
        # Every session ends, so the next sign-in is a deliberate one, and cancels.
        User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
        audit.record(user, "accounts:deletion:requested", user)
        mail.send(
            user.email,
            "deletion_scheduled",
            {
                "erase_after": erase_after,
                "keep_comments": keep_comments,
                "sign_in_link": base_url + reverse("accounts:sign_in"),
            },
        )
    return request


def pending_deletion(user: User) -> DeletionRequest | None:
    return DeletionRequest.objects.filter(reader=user).first()


def cancel_deletion(user: User) -> DeletionRequest | None:
    """Keep the account after all (signing in does this); the cancelled request, or None."""
    from broadsheet.subscriptions import services as subscriptions

    with transaction.atomic():
        User.objects.select_for_update().filter(pk=user.pk).first()
        request = (
            DeletionRequest.objects.filter(reader=user)
            .select_related("cancelled_subscription")
            .first()
        )
        if request is None:
            return None
        subscription = request.cancelled_subscription
        request.delete()
        if subscription is not None and subscription.cancel_at_period_end:
            # If it ended meanwhile, the reader subscribes again if they wish.
            with contextlib.suppress(ServiceError):
                subscriptions.resume(user, subscription_id=subscription.pk)
        audit.record(user, "accounts:deletion:cancelled", user)
        mail.send(user.email, "deletion_cancelled", {})
    return request


# --- erasing ---------------------------------------------------------------------------------


def former_reader() -> User:
    """The one account that kept comments of deleted accounts are signed with."""
    found = User.objects.filter(email=FORMER_READER_EMAIL).first()
    if found is not None:
        return found
    account = User(
        email=FORMER_READER_EMAIL,
        display_name=FORMER_READER_NAME,
        # Its name's keys make look-alikes of it clash, like any taken name.
        display_name_key=display_name_key(FORMER_READER_NAME),
        display_name_glyph_key=display_name_glyph_key(FORMER_READER_NAME),
        is_active=False,
    )
    account.set_unusable_password()
    try:
        with transaction.atomic():
            account.save()
    except IntegrityError:  # another erasure made it at the same moment
        return User.objects.get(email=FORMER_READER_EMAIL)
    return account


def run_due(now: datetime | None = None) -> int:
    """Erase every account whose grace period is over; how many were erased."""
    now = now or timezone.now()
    erased = 0
    due = DeletionRequest.objects.filter(erase_after__lte=now).values_list("reader_id", flat=True)
    for reader_id in list(due):
        try:
            if erase_account(reader_id, now=now):
                erased += 1
        except Exception:
            # One account that fails must not keep the others; the next run tries again.
            log.exception("Could not erase account #%s", reader_id)
    return erased


def erase_account(reader_id: int, *, now: datetime | None = None) -> bool:
    """Erase one account whose deletion is due; False if it was cancelled meanwhile."""
    from broadsheet.subscriptions import services as subscriptions

    now = now or timezone.now()
    with transaction.atomic():
        user = User.objects.select_for_update().filter(pk=reader_id).first()
        request = DeletionRequest.objects.filter(reader_id=reader_id).first()
        if user is None or request is None or request.erase_after > now:
            return False  # the reader signed in again, or another run got here first
        identifiers = _identifiers(user)
        subscriptions.end_now(user, now=now)
        comment_ids = list(Comment.objects.filter(author=user).values_list("pk", flat=True))
        _take_back_reactions(user)
        if request.keep_comments:
            _hand_over(comment_ids)
        else:
            _remove(comment_ids)
        _forget_live_state(user)
        downloads.remove_all(user)
        _scrub(user, identifiers, comment_ids)
        audit.record(
            None,
            "accounts:user:erased",
            user,
            comments="kept" if request.keep_comments else "removed",
        )
        user.delete()
    return True


def _identifiers(user: User) -> tuple[set[str], set[str]]:
    """The reader's addresses, and their names, as they may appear in what stays."""
    addresses = {user.email}
    for old, new in EmailChange.objects.filter(reader=user).values_list("old_email", "new_email"):
        addresses |= {old, new}
    # An address the reader asked for but another account holds is that reader's, not theirs.
    addresses -= set(
        User.objects.filter(email__in=addresses).exclude(pk=user.pk).values_list("email", flat=True)
    )
    names = {n for n in [user.display_name, user.full_name] if n}
    names |= set(user.display_names.values_list("name", flat=True))
    return addresses, names


def _stories_of(comment_ids: Iterable[int]) -> None:
    from broadsheet.stories.models import Story

    # Cached thread pages carry names and words: their stories' comment versions move on.
    Story.objects.filter(
        pk__in=Comment.objects.filter(pk__in=comment_ids).values("story_id")
    ).update(comment_version=F("comment_version") + 1)


def _take_back_reactions(user: User) -> None:
    reacted = list(Reaction.objects.filter(reader=user).values_list("comment_id", flat=True))
    for comment_id in reacted:
        Comment.objects.filter(pk=comment_id, recommend_count__gt=0).update(
            recommend_count=F("recommend_count") - 1
        )
    Reaction.objects.filter(reader=user).delete()
    _stories_of(reacted)


def _hand_over(comment_ids: list[int]) -> None:
    """Keep the comments, signed "A former reader"."""
    from broadsheet.notifications.models import Notification

    former = former_reader()
    Comment.objects.filter(pk__in=comment_ids).update(author=former, client_token="")
    # Others' notifications of these comments now come from the former reader too.
    Notification.objects.filter(comment_id__in=comment_ids).update(actor=former)
    _stories_of(comment_ids)


def _remove(comment_ids: list[int]) -> None:
    """Remove the comments' words; a comment others replied to keeps its place, blank."""
    from broadsheet.comments.services import set_status
    from broadsheet.moderation.models import Decision

    for comment in Comment.objects.filter(pk__in=comment_ids).exclude(
        status=Comment.Status.DELETED
    ):
        set_status(comment, Comment.Status.DELETED, reason=REMOVED_REASON)
    Comment.objects.filter(pk__in=comment_ids).update(
        author=former_reader(),
        body="",
        body_html="",
        client_token="",
        hold_reasons=[],
        status_reason=REMOVED_REASON,
    )
    from broadsheet.notifications.models import Notification

    # Others' notifications of words that are gone tell nothing any more.
    Notification.objects.filter(comment_id__in=comment_ids).delete()
    # The desk's record of decisions keeps the text it judged: it goes too.
    Decision.objects.filter(comment_id__in=comment_ids).delete()
    _stories_of(comment_ids)
    # Rows nothing answers are deleted, from the leaves up.
    remaining = set(comment_ids)
    while remaining:
        answered: set[int | None] = set()
        for field in ("parent_id", "root_id", "in_reply_to_id"):
            answered |= set(
                Comment.objects.filter(**{f"{field}__in": remaining}).values_list(field, flat=True)
            )
        leaves = {pk for pk in remaining if pk not in answered}
        if not leaves:
            break
        Comment.objects.filter(pk__in=leaves).delete()
        remaining -= leaves


def _forget_live_state(user: User) -> None:
    from broadsheet.notifications.models import Mute
    from broadsheet.notifications.services import _forget_mutes

    # Readers who muted this one: their cached lists of muted readers change.
    for muter_id in Mute.objects.filter(muted=user).values_list("muter_id", flat=True):
        _forget_mutes(muter_id)
    _forget_mutes(user.pk)


def _scrub_value(value: Any, needles: set[str]) -> Any:
    if isinstance(value, str):
        lowered = value.lower()
        return ERASED if any(n.lower() in lowered for n in needles) else value
    if isinstance(value, list):
        return [_scrub_value(v, needles) for v in value]
    if isinstance(value, dict):
        return {k: _scrub_value(v, needles) for k, v in value.items()}
    return value


def _scrub(user: User, identifiers: tuple[set[str], set[str]], comment_ids: list[int]) -> None:
    """Take the reader's address and names out of the records that outlive the account."""
    addresses, names = identifiers
    # The audit log: entries about the reader or by them lose names and addresses; any
    # other entry that quotes an address loses it too.
    about = (
        Q(target_type=User._meta.label_lower, target_id=str(user.pk))
        | Q(actor=user)
        | Q(target_type=Comment._meta.label_lower, target_id__in=[str(i) for i in comment_ids])
    )
    quoting = Q()
    for address in addresses:
        quoting |= Q(details__icontains=address) | Q(reason__icontains=address)
    for entry in AuditEntry.objects.filter(about | quoting):
        needles = addresses | names if _matches_about(entry, user, comment_ids) else addresses
        details = _scrub_value(entry.details, needles)
        reason = _scrub_value(entry.reason, needles)
        if entry.actor_id == user.pk and reason:
            reason = ERASED  # the reader's own words (a report's text, say)
        if details != entry.details or reason != entry.reason:
            # The one update the append-only log allows: erasing a person from it.
            AuditEntry.objects.filter(pk=entry.pk).update(details=details, reason=reason)
    _scrub_sign_in_records(addresses)
    _scrub_notices(addresses)
    _scrub_queued_mail(addresses)


def _matches_about(entry: AuditEntry, user: User, comment_ids: list[int]) -> bool:
    if entry.actor_id == user.pk:
        return True
    if entry.target_type == User._meta.label_lower:
        return entry.target_id == str(user.pk)
    return entry.target_type == Comment._meta.label_lower and entry.target_id in {
        str(i) for i in comment_ids
    }


def _scrub_notices(addresses: set[str]) -> None:
    """Notices of illegal content the reader sent stay on record, without who sent them."""
    from broadsheet.appeals.models import Notice

    sent = Q(pk__in=[])
    for address in addresses:
        sent |= Q(email__iexact=address)
    Notice.objects.filter(sent).update(name=ERASED, email=ERASED)


def _scrub_sign_in_records(addresses: set[str]) -> None:
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username__in=addresses).delete()


def _scrub_queued_mail(addresses: set[str]) -> None:
    """Tasks stored by the database worker keep their arguments, e-mail addresses among them."""
    try:
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # pragma: no cover - another task backend stores nothing here
        return
    quoting = Q()
    for address in addresses:
        quoting |= Q(args_kwargs__icontains=address)
    DBTaskResult.objects.filter(quoting).delete()


def deletion_message(request: DeletionRequest) -> str:
    return _("Your account will be deleted on %(day)s. Sign in before then to keep it.") % {
        "day": date_format(timezone.localtime(request.erase_after), "j F Y")
    }
