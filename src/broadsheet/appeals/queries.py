"""Reads: a reader's own decisions, and the desk's appeals and notices queues."""

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from broadsheet.accounts.readers import Reader, signed_in
from broadsheet.appeals.models import Appeal, Notice, Statement
from broadsheet.core.exceptions import ServiceError

SANCTIONS = [
    Statement.Decision.SUSPENSION,
    Statement.Decision.BAN,
    Statement.Decision.PREMODERATION,
]


def _statements() -> QuerySet[Statement]:
    return Statement.objects.select_related(
        "guideline", "comment__story", "sanction", "appeal", "decided_by"
    )


def own_statement(reader: Reader, statement_id: int) -> Statement:
    """The reader's own statement: 404 for anyone else's."""
    user = signed_in(reader)
    found = _statements().filter(pk=statement_id, reader=user).first() if user else None
    if found is None:
        raise ServiceError(_("There is no such decision."), code="not_found", status=404)
    return found


def own_statements(reader: Reader) -> list[Statement]:
    user = signed_in(reader)
    return list(_statements().filter(reader=user)[:200]) if user else []


def sanctions_in_force(reader: Reader) -> list[Statement]:
    """Statements of the reader's sanctions that still apply, for the top of My comments."""
    user = signed_in(reader)
    if user is None:
        return []
    now = timezone.now()
    return list(
        _statements().filter(
            Q(sanction__ends_at__isnull=True) | Q(sanction__ends_at__gt=now),
            reader=user,
            decision__in=SANCTIONS,
            sanction__lifted_at__isnull=True,
        )
    )


def attach_statements(comments: Iterable[Any]) -> None:
    """Give each comment `.statement`: the newest statement about it, or None (one query)."""
    comments = list(comments)
    newest: dict[int, Statement] = {}
    for statement in (
        _statements().filter(comment__in=[c.pk for c in comments]).order_by("created_at", "pk")
    ):
        assert statement.comment_id is not None
        newest[statement.comment_id] = statement
    for comment in comments:
        comment.statement = newest.get(comment.pk)


def statement_for_sanction(sanction_id: int) -> Statement | None:
    return Statement.objects.filter(sanction_id=sanction_id).order_by("-pk").first()


# --- the desk ---------------------------------------------------------------------------------


def open_appeals() -> QuerySet[Appeal]:
    return (
        Appeal.objects.filter(status=Appeal.Status.OPEN)
        .select_related(
            "reader", "statement__decided_by", "statement__comment__story", "statement__guideline"
        )
        .order_by("created_at", "pk")
    )


def handled_appeals() -> QuerySet[Appeal]:
    return (
        Appeal.objects.exclude(status=Appeal.Status.OPEN)
        .select_related("reader", "handled_by", "statement")
        .order_by("-handled_at", "-pk")
    )


def appeal_for_desk(appeal_id: int) -> Appeal | None:
    return (
        Appeal.objects.select_related(
            "reader",
            "handled_by",
            "statement__decided_by",
            "statement__comment__story",
            "statement__guideline",
            "statement__sanction",
        )
        .filter(pk=appeal_id)
        .first()
    )


def open_notices() -> QuerySet[Notice]:
    return (
        Notice.objects.filter(status=Notice.Status.OPEN)
        .select_related("comment__story", "comment__author")
        .order_by("created_at", "pk")
    )


def handled_notices() -> QuerySet[Notice]:
    return (
        Notice.objects.exclude(status=Notice.Status.OPEN)
        .select_related("handled_by")
        .order_by("-handled_at", "-pk")
    )


def notice_for_desk(notice_id: int) -> Notice | None:
    return (
        Notice.objects.select_related("comment__story", "comment__author", "handled_by")
        .filter(pk=notice_id)
        .first()
    )


def desk_counts() -> dict[str, int]:
    return {"appeals": open_appeals().count(), "notices": open_notices().count()}
