"""Every moderation write: decisions on comments, sanctions, reports and word lists.

Each function checks who is asking, validates, writes in one transaction and records the
decision in the audit log. Comments change only through `comments.services`.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from broadsheet.accounts.models import User
from broadsheet.appeals import grounds, statements
from broadsheet.appeals.models import Statement
from broadsheet.comments import queries as comment_queries
from broadsheet.comments import services as comment_services
from broadsheet.comments.models import Comment
from broadsheet.core.audit import record
from broadsheet.core.events import publish_on_commit
from broadsheet.core.exceptions import ServiceError
from broadsheet.core.models import AuditEntry
from broadsheet.moderation import conf, spam, wordlists
from broadsheet.moderation.access import check_desk_member, check_may_sanction, is_desk_member
from broadsheet.moderation.categories import Category
from broadsheet.moderation.matching import term_tokens
from broadsheet.moderation.models import (
    BlockedDomain,
    Decision,
    ReaderNote,
    Report,
    Sanction,
    Term,
    Thresholds,
)

Status = Comment.Status
REASON_MAX = 500


# --- decisions on comments ----------------------------------------------------------------


class Action:
    APPROVE = "approve"
    REJECT = "reject"
    FEATURE = "feature"
    UNFEATURE = "unfeature"
    ALL = (APPROVE, REJECT, FEATURE, UNFEATURE)


@dataclass(frozen=True)
class Seen:
    """What the moderator judged: the comment's revision and status when they looked."""

    revision: int
    status: str


def _comment_for_update(comment_id: int) -> Comment:
    comment = (
        Comment.objects.select_for_update(of=("self",))
        .select_related("status_changed_by")
        .filter(pk=comment_id)
        .first()
    )
    if comment is None:
        raise ServiceError(_("There is no such comment."), code="not_found", status=404)
    return comment


def _name(user: User | None) -> str:
    if user is None:
        return _("an automatic check")
    return user.display_name or user.email


def _check_unchanged(comment: Comment, seen: Seen, moderator: User) -> None:
    """Refuse a decision on a comment that changed since the moderator looked at it."""
    if comment.revision != seen.revision:
        raise ServiceError(
            _(
                "The author edited this comment after you opened it. Nothing was changed; "
                "review the new text."
            ),
            code="already_handled",
            status=409,
        )
    if comment.status != seen.status:
        by = comment.status_changed_by
        who = _("You") if by is not None and by.pk == moderator.pk else _name(by)
        when = (
            _(" at %(time)s")
            % {"time": f"{timezone.localtime(comment.status_changed_at):%H:%M on %d %b}"}
            if comment.status_changed_at
            else ""
        )
        raise ServiceError(
            _(
                "%(who)s already handled this comment%(when)s: it is now %(str)s. Nothing was "
                "changed."
            )
            % {"who": who, "when": when, "str": str(comment.get_status_display()).lower()},
            code="already_handled",
            status=409,
        )


def _resolve_reports(comment: Comment, moderator: User) -> list[int]:
    """Close the comment's open reports; their ids go in the audit entry, for an undo."""
    reports = Report.objects.filter(comment=comment, resolved_at__isnull=True)
    ids = list(reports.values_list("pk", flat=True))
    reports.filter(pk__in=ids).update(resolved_at=timezone.now(), resolved_by=moderator)
    return ids


def decide(
    moderator: User,
    comment_id: int,
    action: str,
    *,
    seen: Seen,
    reason: str = "",
    ground: str = "",
    guideline: str = "",
) -> Comment:
    """Approve, reject, feature or unfeature a comment, as it was when the moderator saw it.

    If another moderator decided first, or the author edited the comment, nothing is
    applied and the error says who handled it. A rejection records a statement of reasons
    for the author: its `ground` (inferred from the reason or the comment's category when
    not chosen) and the `guideline` anchor it relates to.
    """
    check_desk_member(moderator)
    reason = reason.strip()
    if ground:
        statements.check_ground(ground)
    if action not in Action.ALL:
        raise ServiceError(
            _("Unknown action %(action)s.") % {"action": repr(action)}, code="invalid_action"
        )
    if action == Action.REJECT and not reason:
        raise ServiceError(
            _("Give the reason for rejecting: the author sees it."), code="reason_required"
        )
    if len(reason) > REASON_MAX:
        raise ServiceError(
            _("Keep the reason under %(REASON_MAX)s characters.") % {"REASON_MAX": REASON_MAX},
            code="too_long",
        )
    with transaction.atomic():
        comment = _comment_for_update(comment_id)
        if comment.status == Status.DELETED:
            raise ServiceError(
                _("The author deleted this comment."), code="already_handled", status=409
            )
        _check_unchanged(comment, seen, moderator)
        # What an undo needs to put back: the status and its reason, the featured flag,
        # the reports this decision closed and the training example it added.
        audit: dict[str, Any] = {
            "revision": comment.revision,
            "previous": comment.status,
            "previous_reason": comment.status_reason,
        }
        if action == Action.APPROVE:
            if comment.status == Status.PUBLISHED:
                raise ServiceError(
                    _("This comment is already published."), code="already_handled", status=409
                )
            comment = comment_services.set_status(comment, Status.PUBLISHED, by=moderator)
            audit["decision"] = _learn_from(comment, moderator, rejected=False)
            audit["report_ids"] = _resolve_reports(comment, moderator)
            audit["reports_resolved"] = len(audit["report_ids"])
            record(moderator, "moderation:comment:approved", comment, reason=reason, **audit)
        elif action == Action.REJECT:
            if comment.status == Status.REJECTED:
                raise ServiceError(
                    _("This comment is already rejected."), code="already_handled", status=409
                )
            audit["was_featured"] = comment.is_featured
            comment = comment_services.set_status(
                comment, Status.REJECTED, by=moderator, reason=reason
            )
            if comment.is_featured:
                comment = comment_services.set_featured(comment, False)
            audit["decision"] = _learn_from(comment, moderator, rejected=True)
            audit["report_ids"] = _resolve_reports(comment, moderator)
            audit["reports_resolved"] = len(audit["report_ids"])
            statement = statements.issue(
                comment.author,
                Statement.Decision.COMMENT_REJECTED,
                ground=ground or grounds.infer(reason, comment.category),
                text=reason,
                decided_by=moderator,
                comment=comment,
                guideline=guideline,
            )
            audit.update(ground=statement.ground, statement=statement.pk, automatic=False)
            record(moderator, "moderation:comment:rejected", comment, reason=reason, **audit)
        else:
            featured = action == Action.FEATURE
            if featured and comment.status != Status.PUBLISHED:
                raise ServiceError(
                    _("Only a published comment can be featured; approve it first."),
                    code="not_published",
                )
            if comment.is_featured == featured:
                state = _("featured") if featured else _("not featured")
                raise ServiceError(
                    _("This comment is already %(state)s.") % {"state": state},
                    code="already_handled",
                    status=409,
                )
            comment = comment_services.set_featured(comment, featured, by=moderator)
            name = "featured" if featured else "unfeatured"
            record(moderator, f"moderation:comment:{name}", comment, reason=reason, **audit)
    return comment


def _learn_from(comment: Comment, moderator: User, *, rejected: bool) -> int:
    """Keep the text the moderator judged and their verdict: the newsroom model learns from it."""
    return Decision.objects.create(
        comment=comment,
        text=comment.body,
        rejected=rejected,
        category=comment.category,
        decided_by=moderator,
    ).pk


@dataclass(frozen=True)
class BulkResult:
    comment_id: int
    ok: bool
    message: str = ""


def decide_many(
    moderator: User,
    items: Iterable[tuple[int, Seen]],
    action: str,
    *,
    reason: str = "",
) -> list[BulkResult]:
    """Approve or reject several comments; each is decided on its own, as `decide` does."""
    check_desk_member(moderator)
    if action not in (Action.APPROVE, Action.REJECT):
        raise ServiceError(_("Bulk decisions are approve or reject."), code="invalid_action")
    items = list(items)
    if not items:
        raise ServiceError(_("Select at least one comment."), code="nothing_selected")
    if len(items) > 100:
        raise ServiceError(_("Select at most 100 comments at once."), code="too_many")
    results = []
    for comment_id, seen in items:
        try:
            decide(moderator, comment_id, action, seen=seen, reason=reason)
        except ServiceError as error:
            if error.code == "reason_required":
                raise
            results.append(BulkResult(comment_id, ok=False, message=error.message))
        else:
            results.append(BulkResult(comment_id, ok=True))
    return results


# --- undoing a decision -------------------------------------------------------------------

DECISION_ACTIONS = (
    "moderation:comment:approved",
    "moderation:comment:rejected",
    "moderation:comment:featured",
    "moderation:comment:unfeatured",
)
UNDONE = "moderation:comment:undone"


def undo(moderator: User, comment_id: int) -> Comment:
    """Take back the moderator's own latest decision on a comment, a few seconds after it.

    The comment goes back to the status it had (with its reason and featured flag), the
    reports the decision closed open again and the newsroom model forgets the example.
    Refused when someone acted on the comment since, or the author edited it, or the
    moment has passed: then the moderator decides again instead.
    """
    check_desk_member(moderator)
    window = timedelta(seconds=conf.undo_grace_seconds())
    with transaction.atomic():
        comment = _comment_for_update(comment_id)
        entry = (
            AuditEntry.objects.filter(
                target_type="comments.comment",
                target_id=str(comment.pk),
                action__in=(*DECISION_ACTIONS, UNDONE),
            )
            .order_by("-created_at", "-pk")
            .first()
        )
        if entry is None or entry.action == UNDONE:
            raise ServiceError(
                "There is no decision on this comment to undo.", code="nothing_to_undo", status=409
            )
        if entry.actor_id != moderator.pk:
            raise ServiceError(
                f"{_name(entry.actor)} decided on this comment after you; it stays as it is.",
                code="already_handled",
                status=409,
            )
        if timezone.now() - entry.created_at > window:
            raise ServiceError(
                "It is too late to undo this decision; decide again instead.",
                code="too_late",
                status=409,
            )
        details = entry.details or {}
        if comment.revision != details.get("revision") or comment.status == Status.DELETED:
            raise ServiceError(
                "The comment changed since your decision; it stays as it is.",
                code="already_handled",
                status=409,
            )
        previous = str(details.get("previous", comment.status))
        if entry.action in ("moderation:comment:featured", "moderation:comment:unfeatured"):
            comment = comment_services.set_featured(
                comment, entry.action.endswith(":unfeatured"), by=moderator
            )
        else:
            comment = comment_services.set_status(
                comment, previous, by=moderator, reason=str(details.get("previous_reason", ""))
            )
            if details.get("was_featured"):
                comment = comment_services.set_featured(comment, True, by=moderator)
            Report.objects.filter(pk__in=details.get("report_ids", [])).update(
                resolved_at=None, resolved_by=None
            )
            Decision.objects.filter(pk=int(details.get("decision") or 0)).delete()
        record(
            moderator,
            UNDONE,
            comment,
            undoes=entry.pk,
            undone=entry.action.rsplit(":", 1)[-1],
            restored=previous,
            revision=comment.revision,
        )
    return comment


def undo_many(moderator: User, comment_ids: Iterable[int]) -> list[BulkResult]:
    """Undo a bulk decision: each comment on its own, as `undo` does."""
    check_desk_member(moderator)
    ids = list(dict.fromkeys(comment_ids))
    if not ids:
        raise ServiceError("There is nothing to undo.", code="nothing_selected")
    if len(ids) > 100:
        raise ServiceError("Undo at most 100 comments at once.", code="too_many")
    results = []
    for comment_id in ids:
        try:
            undo(moderator, comment_id)
        except ServiceError as error:
            results.append(BulkResult(comment_id, ok=False, message=error.message))
        else:
            results.append(BulkResult(comment_id, ok=True))
    return results


# --- sanctions ------------------------------------------------------------------------------

MAX_SUSPENSION = timedelta(days=365)
STATEMENT_FOR_SANCTION = {
    Sanction.Kind.SUSPENSION: Statement.Decision.SUSPENSION,
    Sanction.Kind.BAN: Statement.Decision.BAN,
    Sanction.Kind.PREMODERATION: Statement.Decision.PREMODERATION,
}


def _reader_for_sanction(moderator: User, reader_id: int) -> User:
    reader = User.objects.filter(pk=reader_id).first()
    if reader is None:
        raise ServiceError(_("There is no such reader."), code="not_found", status=404)
    if reader.pk == moderator.pk:
        raise ServiceError(
            _("You cannot sanction your own account."), code="not_allowed", status=403
        )
    if is_desk_member(reader) or reader.is_superuser:
        raise ServiceError(
            _("Moderators and editors are not sanctioned from the desk; ask an administrator."),
            code="not_allowed",
            status=403,
        )
    return reader


def _active(reader: User, kind: str) -> Sanction | None:
    from django.db.models import Q

    now = timezone.now()
    return (
        Sanction.objects.select_for_update()
        .filter(
            Q(ends_at__isnull=True) | Q(ends_at__gt=now),
            reader=reader,
            kind=kind,
            lifted_at__isnull=True,
            starts_at__lte=now,
        )
        .first()
    )


def sanction(
    moderator: User,
    reader_id: int,
    kind: str,
    *,
    reason: str,
    duration: timedelta | None = None,
    comment_id: int | None = None,
    ground: str = "",
    guideline: str = "",
) -> Sanction:
    """Warn, suspend (for `duration`), ban, or always pre-moderate a reader.

    All but a warning record a statement of reasons for the reader (see `decide`).
    """
    check_may_sanction(moderator)
    reason = reason.strip()
    if ground:
        statements.check_ground(ground)
    if kind not in Sanction.Kind.values:
        raise ServiceError(
            _("Unknown sanction %(kind)s.") % {"kind": repr(kind)}, code="invalid_kind"
        )
    if not reason:
        raise ServiceError(
            _("Give the reason: it is kept in the audit log."), code="reason_required"
        )
    if len(reason) > REASON_MAX:
        raise ServiceError(
            _("Keep the reason under %(REASON_MAX)s characters.") % {"REASON_MAX": REASON_MAX},
            code="too_long",
        )
    if kind == Sanction.Kind.SUSPENSION:
        if duration is None or duration <= timedelta(0):
            raise ServiceError(_("Say how long the suspension lasts."), code="duration_required")
        if duration > MAX_SUSPENSION:
            raise ServiceError(
                _("A suspension lasts at most a year; ban the reader instead."), code="too_long"
            )
    now = timezone.now()
    with transaction.atomic():
        reader = _reader_for_sanction(moderator, reader_id)
        # Lock the reader's row so two moderators cannot add the same measure twice.
        User.objects.select_for_update().filter(pk=reader.pk).first()
        if kind != Sanction.Kind.WARNING:
            existing = _active(reader, kind)
            if existing is not None:
                raise ServiceError(
                    _(
                        "%(name)s already put this reader under a %(get_kind_display)s; lift it "
                        "first to change it."
                    )
                    % {
                        "name": _name(existing.issued_by),
                        "get_kind_display": existing.get_kind_display(),
                    },
                    code="already_handled",
                    status=409,
                )
        created = Sanction.objects.create(
            reader=reader,
            kind=kind,
            reason=reason,
            starts_at=now,
            ends_at=now + duration if kind == Sanction.Kind.SUSPENSION and duration else None,
            issued_by=moderator,
        )
        details: dict[str, Any] = {"reader": reader.pk, "kind": kind}
        if created.ends_at:
            details["until"] = created.ends_at.isoformat()
        if comment_id:
            details["comment"] = comment_id
        if kind != Sanction.Kind.WARNING:
            statement = statements.issue(
                reader,
                STATEMENT_FOR_SANCTION[Sanction.Kind(kind)],
                ground=ground or grounds.infer(reason),
                text=reason,
                decided_by=moderator,
                sanction=created,
                guideline=guideline,
            )
            details.update(ground=statement.ground, statement=statement.pk, automatic=False)
        record(moderator, f"moderation:sanction:{kind}", created, reason=reason, **details)
    return created


def lift(moderator: User, sanction_id: int, *, reason: str = "") -> Sanction:
    """End a sanction now; a second moderator lifting it too is told who did."""
    check_may_sanction(moderator)
    reason = reason.strip()[:REASON_MAX]
    with transaction.atomic():
        target = Sanction.objects.select_for_update().filter(pk=sanction_id).first()
        if target is None:
            raise ServiceError(_("There is no such sanction."), code="not_found", status=404)
        if target.lifted_at is not None:
            raise ServiceError(
                _("%(name)s already lifted this %(get_kind_display)s.")
                % {"name": _name(target.lifted_by), "get_kind_display": target.get_kind_display()},
                code="already_handled",
                status=409,
            )
        if target.ends_at is not None and target.ends_at <= timezone.now():
            raise ServiceError(
                _("This sanction has already ended."), code="already_handled", status=409
            )
        target.lifted_at = timezone.now()
        target.lifted_by = moderator
        target.save(update_fields=["lifted_at", "lifted_by"])
        record(
            moderator,
            "moderation:sanction:lifted",
            target,
            reason=reason,
            reader=target.reader_id,
            kind=target.kind,
        )
    return target


# --- private notes about a reader ---------------------------------------------------------

NOTE_MAX = 2000


def add_note(moderator: User, reader_id: int, text: str) -> ReaderNote:
    """A private note about a reader for the desk; the log says a note was added, not what."""
    check_desk_member(moderator)
    text = text.strip()
    if not text:
        raise ServiceError("Write the note first.", code="text_required")
    if len(text) > NOTE_MAX:
        raise ServiceError(f"Keep a note under {NOTE_MAX:,} characters.", code="too_long")
    if "\x00" in text:
        raise ServiceError("The note contains characters we cannot store.", code="invalid")
    reader = User.objects.filter(pk=reader_id).first()
    if reader is None:
        raise ServiceError("There is no such reader.", code="not_found", status=404)
    with transaction.atomic():
        note = ReaderNote.objects.create(reader=reader, text=text, written_by=moderator)
        record(moderator, "moderation:note:added", note, reader=reader.pk)
    return note


# --- reports ---------------------------------------------------------------------------------


def report(reader: Any, comment_id: int, reason: str, text: str = "") -> Report:
    """A reader reports a comment; enough open reports hide it until a moderator decides."""
    if not getattr(reader, "is_authenticated", False):
        raise ServiceError(_("Sign in to report a comment."), code="sign_in_required", status=401)
    text = text.strip()
    if reason not in Report.Reason.values:
        raise ServiceError(_("Choose why you are reporting this comment."), code="reason_required")
    if reason == Report.Reason.OTHER and not text:
        raise ServiceError(_("Tell us what is wrong with this comment."), code="text_required")
    if len(text) > 1000:
        raise ServiceError(_("Keep the explanation under 1,000 characters."), code="too_long")
    if "\x00" in text:
        raise ServiceError(
            _("The explanation contains characters we cannot store."), code="invalid"
        )
    comment = comment_queries.published_comment(reader, comment_id)
    if comment.author_id == reader.pk:
        raise ServiceError(_("You cannot report your own comment."), code="own_comment")
    try:
        with transaction.atomic():
            created = Report.objects.create(
                reader=reader, comment=comment, reason=reason, text=text
            )
            record(reader, "moderation:comment:reported", comment, reason=text, category=reason)
            _hide_if_reported(comment)
            publish_on_commit("report.created", "desk", comment_id=comment.pk)
    except IntegrityError:
        raise ServiceError(
            _("You have already reported this comment. Thank you: a moderator will look at it."),
            code="already_reported",
            status=409,
        ) from None
    return created


def _hide_if_reported(comment: Comment) -> None:
    open_reports = Report.objects.filter(comment=comment, resolved_at__isnull=True).count()
    if open_reports < conf.report_threshold():
        return
    locked = Comment.objects.select_for_update().get(pk=comment.pk)
    if locked.status != Status.PUBLISHED:
        return
    comment_services.set_status(locked, Status.PENDING, reason="reported")
    statement = statements.issue(
        locked.author,
        Statement.Decision.COMMENT_HIDDEN,
        ground=_ground_of_reports(locked),
        automatic=True,
        comment=locked,
    )
    record(
        None,
        "moderation:comment:hidden",
        locked,
        reason="reported",
        reports=open_reports,
        ground=statement.ground,
        statement=statement.pk,
        automatic=True,
    )


GROUND_FOR_REPORT = {
    Report.Reason.ABUSE: grounds.Ground.PERSONAL_ATTACK,
    Report.Reason.SPAM: grounds.Ground.SPAM,
    Report.Reason.OFF_TOPIC: grounds.Ground.OFF_TOPIC,
    Report.Reason.MISINFORMATION: grounds.Ground.MISINFORMATION,
    Report.Reason.OTHER: grounds.Ground.OTHER,
}


def _ground_of_reports(comment: Comment) -> str:
    """The ground most of the open reports give (the more serious one on a tie)."""
    reasons = list(
        Report.objects.filter(comment=comment, resolved_at__isnull=True).values_list(
            "reason", flat=True
        )
    )
    order = list(Report.Reason.values)
    top = max(set(reasons), key=lambda r: (reasons.count(r), -order.index(r)))
    return GROUND_FOR_REPORT[Report.Reason(top)].value


# --- word lists ------------------------------------------------------------------------------


def _lists_changed() -> None:
    # Now, for this transaction's own checks, and again after commit, so that no process
    # keeps a list compiled from a snapshot read before the change was visible.
    wordlists.changed()
    transaction.on_commit(wordlists.changed)


def add_term(
    moderator: User, text: str, kind: str, *, note: str = "", category: str = Category.OTHER
) -> Term:
    check_desk_member(moderator)
    text = " ".join(text.split())
    if kind not in Term.Kind.values:
        raise ServiceError(_("Choose the banned or the suspect list."), code="invalid_kind")
    if category not in Category.values:
        raise ServiceError(_("Choose what kind of harm the term does."), code="invalid_category")
    if not text:
        raise ServiceError(_("Enter a word or phrase."), code="text_required")
    if len(text) > 100:
        raise ServiceError(_("Keep a term under 100 characters."), code="too_long")
    words = term_tokens(text)
    letters = sum(len(word.rstrip("*")) for word in words)
    if not words or letters < 2:
        raise ServiceError(_("A term needs at least two letters."), code="too_short")
    if any(word.endswith("*") and len(word) < 4 for word in words):
        raise ServiceError(
            _(
                "A word ending in * must begin with at least three letters, or it would match "
                "far too many innocent words."
            ),
            code="too_short",
        )
    key = " ".join(words)
    with transaction.atomic():
        existing = Term.objects.filter(key=key).first()
        if existing is not None:
            raise ServiceError(
                _("“%(text)s” is already on the %(kind)s list.")
                % {"text": existing.text, "kind": existing.kind},
                code="duplicate",
                status=409,
            )
        try:
            with transaction.atomic():
                term = Term.objects.create(
                    text=text,
                    key=key,
                    kind=kind,
                    category=category,
                    note=note.strip()[:200],
                    added_by=moderator,
                )
        except IntegrityError:
            raise ServiceError(
                _("This term is already on a list."), code="duplicate", status=409
            ) from None
        record(
            moderator,
            "moderation:term:added",
            term,
            reason=term.note,
            text=text,
            kind=kind,
            category=category,
        )
        _lists_changed()
    return term


def remove_term(moderator: User, term_id: int) -> None:
    check_desk_member(moderator)
    with transaction.atomic():
        term = Term.objects.select_for_update().filter(pk=term_id).first()
        if term is None:
            raise ServiceError(
                _("This term is no longer on the lists."), code="not_found", status=404
            )
        record(moderator, "moderation:term:removed", term, text=term.text, kind=term.kind)
        term.delete()
        _lists_changed()


# --- thresholds, blocked domains, the newsroom model ---------------------------------------

THRESHOLD_FIELDS = ("toxicity", "newsroom", "spam", "strict_margin", "threats")


def set_thresholds(moderator: User, **values: Any) -> Thresholds:
    """Change the site's thresholds; every process uses the new ones for the next comment.

    Values are checked against the field limits (scores 0.05-1, spam weight 1-10, ...).
    """
    check_desk_member(moderator)
    unknown = set(values) - set(THRESHOLD_FIELDS)
    if unknown:
        raise ServiceError(
            _("Unknown threshold %(sorted)s.") % {"sorted": repr(sorted(unknown)[0])},
            code="invalid_field",
        )
    from django.core.exceptions import ValidationError

    with transaction.atomic():
        row = Thresholds.objects.select_for_update().order_by("pk").first()
        if row is None:
            current = conf.site_limits()
            row = Thresholds(toxicity=current.toxicity)
        old = {name: getattr(row, name) for name in THRESHOLD_FIELDS}
        for name, value in values.items():
            setattr(row, name, value)
        row.updated_by = moderator
        try:
            row.full_clean(exclude=["updated_by"])
        except ValidationError as error:
            field, messages = next(iter(error.message_dict.items()))
            label = getattr(Thresholds._meta.get_field(field), "verbose_name", field)
            raise ServiceError(
                _("%(str)s: %(messages_0)s")
                % {"str": str(label).capitalize(), "messages_0": messages[0]},
                code="invalid",
            ) from None
        row.save()
        changes: dict[str, Any] = {
            name: [old[name], getattr(row, name)]
            for name in THRESHOLD_FIELDS
            if old[name] != getattr(row, name)
        }
        record(moderator, "moderation:thresholds:changed", row, changes=changes)
        conf.limits_changed()
        transaction.on_commit(conf.limits_changed)
    return row


DOMAIN = re.compile(r"^(?=.{3,200}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def block_domain(moderator: User, text: str, *, note: str = "") -> BlockedDomain:
    """Hold every comment that links to `text` (a domain, or a link to take it from)."""
    check_desk_member(moderator)
    text = text.strip().lower()
    found = spam.domains(text) if "/" in text or " " not in text else set()
    domain = (sorted(found)[0] if found else text).removeprefix("www.")
    if not DOMAIN.match(domain):
        raise ServiceError(
            _("Enter a domain such as cheap-pills.example (or paste a link to it)."),
            code="invalid_domain",
        )
    with transaction.atomic():
        if BlockedDomain.objects.filter(domain=domain).exists():
            raise ServiceError(
                _("%(domain)s is already blocked.") % {"domain": domain},
                code="duplicate",
                status=409,
            )
        try:
            with transaction.atomic():
                blocked = BlockedDomain.objects.create(
                    domain=domain, note=note.strip()[:200], added_by=moderator
                )
        except IntegrityError:
            raise ServiceError(
                _("%(domain)s is already blocked.") % {"domain": domain},
                code="duplicate",
                status=409,
            ) from None
        record(moderator, "moderation:domain:blocked", blocked, reason=blocked.note, domain=domain)
        spam.blocklist_changed()
        transaction.on_commit(spam.blocklist_changed)
    return blocked


def unblock_domain(moderator: User, domain_id: int) -> None:
    check_desk_member(moderator)
    with transaction.atomic():
        blocked = BlockedDomain.objects.select_for_update().filter(pk=domain_id).first()
        if blocked is None:
            raise ServiceError(_("This domain is no longer blocked."), code="not_found", status=404)
        record(moderator, "moderation:domain:unblocked", blocked, domain=blocked.domain)
        blocked.delete()
        spam.blocklist_changed()
        transaction.on_commit(spam.blocklist_changed)


def train_newsroom_model(moderator: User) -> str:
    """Ask for the newsroom model to be trained now (by the task worker, or at once)."""
    check_desk_member(moderator)
    from django.tasks import TaskResultStatus

    from broadsheet.moderation.tasks import train_newsroom_model as task

    result = task.enqueue()
    if result.status == TaskResultStatus.SUCCESSFUL:
        return str(result.return_value)
    if result.status == TaskResultStatus.FAILED:
        raise ServiceError(_("Training failed; the error is in the server's log."), code="failed")
    return _("Training has started; the comparison appears here when it is done.")
