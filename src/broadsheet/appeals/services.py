"""Appeals: a reader contests a statement once; another moderator upholds or reverses it.

The rule that the moderator who decided may not judge the appeal lives here, so the desk
pages and the API both obey it. A reversal undoes the decision through the same services
that made it (the comment is published again, the sanction lifted) and tells the reader.
"""

from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from broadsheet.accounts.models import User
from broadsheet.accounts.readers import signed_in
from broadsheet.appeals.models import Appeal, Statement
from broadsheet.comments import services as comment_services
from broadsheet.comments.models import Comment
from broadsheet.core.audit import record
from broadsheet.core.events import publish_on_commit
from broadsheet.core.exceptions import ServiceError
from broadsheet.moderation.access import check_desk_member, check_may_sanction
from broadsheet.moderation.models import Sanction
from broadsheet.notifications import mail

APPEAL_MAX = 1000
RESPONSE_MAX = 1000
# The DSA asks for at least six months in which a decision may be appealed.
APPEAL_WINDOW = timedelta(days=183)
SANCTION_DECISIONS = (
    Statement.Decision.SUSPENSION,
    Statement.Decision.BAN,
    Statement.Decision.PREMODERATION,
)


def _clean(text: str, longest: int, *, missing: str) -> str:
    text = text.replace("\r\n", "\n").strip()
    if not text:
        raise ServiceError(missing, code="text_required")
    if len(text) > longest:
        raise ServiceError(
            _("Keep it under %(n)s characters.") % {"n": f"{longest:,}"}, code="too_long"
        )
    if "\x00" in text:
        raise ServiceError(_("The text contains characters we cannot store."), code="invalid")
    return text


def may_appeal(statement: Statement) -> bool:
    return timezone.now() < statement.created_at + APPEAL_WINDOW and not _undone(statement)


def _undone(statement: Statement) -> bool:
    """Whether a moderator already put the comment back (a hidden one approved, say)."""
    comment = statement.comment
    return comment is not None and comment.status == Comment.Status.PUBLISHED


def appeal(reader: Any, statement_id: int, text: str) -> Appeal:
    """The reader's one appeal against their own statement `statement_id`."""
    user = signed_in(reader)
    if user is None:
        raise ServiceError(_("Sign in first."), code="sign_in_required", status=401)
    text = _clean(text, APPEAL_MAX, missing=_("Say why you think the decision was wrong."))
    try:
        with transaction.atomic():
            statement = (
                Statement.objects.select_for_update().filter(pk=statement_id, reader=user).first()
            )
            if statement is None:
                raise ServiceError(_("There is no such decision."), code="not_found", status=404)
            if Appeal.objects.filter(statement=statement).exists():
                raise ServiceError(
                    _("You have already appealed this decision."),
                    code="already_appealed",
                    status=409,
                )
            if _undone(statement):
                raise ServiceError(
                    _("Your comment is published again: there is nothing to appeal."),
                    code="already_handled",
                    status=409,
                )
            if not may_appeal(statement):
                raise ServiceError(
                    _("A decision can be appealed for six months; this one is older."),
                    code="too_late",
                    status=409,
                )
            created = Appeal.objects.create(statement=statement, reader=user, text=text)
            record(
                user,
                "appeals:appeal:submitted",
                created,
                reason=text,
                statement=statement.pk,
                decision=statement.decision,
            )
            publish_on_commit("appeal.created", "desk", appeal_id=created.pk)
    except IntegrityError:
        raise ServiceError(
            _("You have already appealed this decision."), code="already_appealed", status=409
        ) from None
    return created


def check_may_handle(moderator: Any, statement: Statement) -> None:
    """Only a moderator other than the one who decided judges an appeal.

    Appeals against sanctions need a moderator's right to sanction; an automatic
    decision may be judged by any member of the desk.
    """
    if statement.decision in SANCTION_DECISIONS:
        check_may_sanction(moderator)
    else:
        check_desk_member(moderator)
    if statement.decided_by_id is not None and statement.decided_by_id == moderator.pk:
        raise ServiceError(
            _("You made this decision, so another moderator must judge the appeal."),
            code="own_decision",
            status=403,
        )


class Outcome:
    UPHOLD = "uphold"
    REVERSE = "reverse"
    ALL = (UPHOLD, REVERSE)


def handle(moderator: User, appeal_id: int, outcome: str, *, response: str) -> Appeal:
    """Uphold or reverse an appeal; a reversal restores the comment or lifts the sanction."""
    if outcome not in Outcome.ALL:
        raise ServiceError(_("Choose to uphold or to reverse the decision."), code="invalid")
    response = _clean(
        response, RESPONSE_MAX, missing=_("Give the reader your reasons: they see them.")
    )
    with transaction.atomic():
        found = (
            Appeal.objects.select_for_update(of=("self",))
            .select_related("statement")
            .filter(pk=appeal_id)
            .first()
        )
        if found is None:
            raise ServiceError(_("There is no such appeal."), code="not_found", status=404)
        statement = found.statement
        check_may_handle(moderator, statement)
        if found.status != Appeal.Status.OPEN:
            by = found.handled_by
            raise ServiceError(
                _("%(who)s already handled this appeal.")
                % {"who": by.public_name if by else _("Someone")},
                code="already_handled",
                status=409,
            )
        undone: dict[str, Any] = {}
        if outcome == Outcome.REVERSE:
            undone = _undo(moderator, statement, found)
        found.status = (
            Appeal.Status.REVERSED if outcome == Outcome.REVERSE else Appeal.Status.UPHELD
        )
        found.response = response
        found.handled_by = moderator
        found.handled_at = timezone.now()
        found.save(update_fields=["status", "response", "handled_by", "handled_at"])
        record(
            moderator,
            f"appeals:appeal:{found.status}",
            found,
            reason=response,
            statement=statement.pk,
            decision=statement.decision,
            automatic=statement.automatic,
            **undone,
        )
        mail.queue(
            found.reader_id, "appeal_outcome", f"appeal:{found.pk}", payload={"appeal": found.pk}
        )
        publish_on_commit("appeal.handled", "desk", appeal_id=found.pk)
    return found


def _undo(moderator: User, statement: Statement, found: Appeal) -> dict[str, Any]:
    """Reverse the decision `statement` reports; what was undone, for the audit log."""
    if statement.sanction_id is not None:
        return _lift(moderator, statement, found)
    comment = (
        Comment.objects.select_for_update().filter(pk=statement.comment_id).first()
        if statement.comment_id
        else None
    )
    if comment is None or comment.status == Comment.Status.DELETED:
        return {"restored": False}  # the author deleted it since: nothing to put back
    if comment.status == Comment.Status.PUBLISHED:
        return {"restored": False}
    previous = comment.status
    comment_services.set_status(comment, Comment.Status.PUBLISHED, by=moderator)
    record(
        moderator,
        "moderation:comment:restored",
        comment,
        reason=found.response,
        appeal=found.pk,
        previous=previous,
    )
    return {"restored": True, "comment": comment.pk}


def _lift(moderator: User, statement: Statement, found: Appeal) -> dict[str, Any]:
    assert statement.sanction_id is not None
    now = timezone.now()
    lifted = Sanction.objects.filter(
        Q(ends_at__isnull=True) | Q(ends_at__gt=now),
        pk=statement.sanction_id,
        lifted_at__isnull=True,
    ).update(lifted_at=now, lifted_by=moderator)
    if lifted:
        sanction = Sanction.objects.get(pk=statement.sanction_id)
        record(
            moderator,
            "moderation:sanction:lifted",
            sanction,
            reason=found.response,
            reader=sanction.reader_id,
            kind=sanction.kind,
            appeal=found.pk,
        )
    return {"lifted": bool(lifted), "sanction": statement.sanction_id}
