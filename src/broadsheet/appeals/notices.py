"""Notices of illegal content: anyone may send one; a moderator removes the comment or not.

The sender is told by e-mail that the notice arrived and, later, what was decided. A
removal goes through `moderation.services.decide`, so the author gets a statement of
reasons (ground: illegal content) and may appeal it like any other decision.
"""

import re
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from broadsheet.accounts import throttle
from broadsheet.accounts.emails import normalize_email
from broadsheet.accounts.models import User
from broadsheet.appeals import mail
from broadsheet.appeals.grounds import Ground
from broadsheet.appeals.models import Notice
from broadsheet.comments import queries as comment_queries
from broadsheet.comments.models import Comment
from broadsheet.core.audit import record
from broadsheet.core.events import publish_on_commit
from broadsheet.core.exceptions import ServiceError
from broadsheet.moderation import services as moderation_services
from broadsheet.moderation.access import check_desk_member

# Notices one network address may send in an hour.
NOTICES_PER_ADDRESS_PER_HOUR = 5
# "123", "/comments/123/", "https://site/comments/123/thread/", ".../story#comment-123"
_COMMENT_REF = re.compile(r"^\s*(?:#?(\d{1,12})|.*?(?:/comments/|#comment-)(\d{1,12})\b.*)\s*$")


@dataclass(frozen=True)
class NoticeIn:
    name: str
    email: str
    comment: str
    law: str
    explanation: str
    good_faith: bool


def comment_id_from(reference: str) -> int | None:
    """The comment id in what the sender pasted: an id or a link to the comment."""
    found = _COMMENT_REF.match(reference)
    if found is None:
        return None
    return int(found.group(1) or found.group(2))


def _text(value: str, longest: int, missing: str, code: str) -> str:
    value = value.replace("\r\n", "\n").strip()
    if not value:
        raise ServiceError(missing, code=code)
    if len(value) > longest:
        raise ServiceError(
            _("Keep it under %(n)s characters.") % {"n": f"{longest:,}"}, code="too_long"
        )
    if "\x00" in value:
        raise ServiceError(_("The text contains characters we cannot store."), code="invalid")
    return value


def submit(data: NoticeIn, *, address: str, sender: object = None) -> Notice:
    """Record a notice from anyone (`address`: the network address, for the hourly limit)."""
    name = _text(data.name, 120, _("Give your name."), "name_required")
    email = data.email.strip()
    try:
        validate_email(email)
    except ValidationError:
        raise ServiceError(
            _("Enter an e-mail address we can send the outcome to."), code="invalid_email"
        ) from None
    law = _text(data.law, 200, _("Say which law the comment breaks."), "law_required")
    explanation = _text(
        data.explanation,
        3000,
        _("Explain why the comment is illegal under that law."),
        "explanation_required",
    )
    if not data.good_faith:
        raise ServiceError(
            _("Confirm that you send this notice in good faith and that it is accurate."),
            code="good_faith_required",
        )
    comment_id = comment_id_from(data.comment)
    if comment_id is None:
        raise ServiceError(
            _("Paste the link to the comment or its number."),
            code="comment_required",
        )
    try:
        comment = comment_queries.published_comment(AnonymousUser(), comment_id)
    except ServiceError:
        raise ServiceError(
            _("There is no published comment with that link or number."),
            code="comment_not_found",
        ) from None
    if not throttle.allow("notice", address, limit=NOTICES_PER_ADDRESS_PER_HOUR, seconds=3600):
        raise ServiceError(
            _("Too many notices have come from your network in the last hour. Try again later."),
            code="too_many",
            status=429,
        )
    with transaction.atomic():
        notice = Notice.objects.create(
            name=name,
            email=normalize_email(email),
            comment=comment,
            law=law,
            explanation=explanation,
            good_faith=True,
        )
        record(sender, "appeals:notice:received", notice, comment=comment.pk, law=law)
        mail.queue_notice_email(notice.pk, "receipt")
        publish_on_commit("notice.created", "desk", notice_id=notice.pk)
    return notice


class Action:
    REMOVE = "remove"
    DECLINE = "decline"
    ALL = (REMOVE, DECLINE)


def handle(moderator: User, notice_id: int, action: str, *, response: str) -> Notice:
    """Remove the comment a notice names, or decline to; the sender is told either way."""
    check_desk_member(moderator)
    if action not in Action.ALL:
        raise ServiceError(_("Choose to remove the comment or to take no action."), code="invalid")
    response = _text(
        response, 1000, _("Give your reasons: the sender sees them."), "response_required"
    )
    with transaction.atomic():
        notice = Notice.objects.select_for_update().filter(pk=notice_id).first()
        if notice is None:
            raise ServiceError(_("There is no such notice."), code="not_found", status=404)
        if notice.status != Notice.Status.OPEN:
            by = notice.handled_by
            raise ServiceError(
                _("%(who)s already handled this notice.")
                % {"who": by.public_name if by else _("Someone")},
                code="already_handled",
                status=409,
            )
        comment = (
            Comment.objects.filter(pk=notice.comment_id).first() if notice.comment_id else None
        )
        removed = False
        if action == Action.REMOVE and comment is not None:
            if comment.status not in (Comment.Status.REJECTED, Comment.Status.DELETED):
                moderation_services.decide(
                    moderator,
                    comment.pk,
                    moderation_services.Action.REJECT,
                    seen=moderation_services.Seen(comment.revision, comment.status),
                    reason=response,
                    ground=Ground.ILLEGAL,
                )
            removed = True
        notice.status = Notice.Status.REMOVED if action == Action.REMOVE else Notice.Status.DECLINED
        notice.response = response
        notice.handled_by = moderator
        notice.handled_at = timezone.now()
        notice.save(update_fields=["status", "response", "handled_by", "handled_at"])
        record(
            moderator,
            f"appeals:notice:{notice.status}",
            notice,
            reason=response,
            comment=notice.comment_id,
            removed=removed,
        )
        mail.queue_notice_email(notice.pk, "outcome")
        publish_on_commit("notice.handled", "desk", notice_id=notice.pk)
    return notice
