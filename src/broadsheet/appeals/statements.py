"""Statements of reasons: every decision that restricts a reader records one and tells them.

The moderation services call `issue` inside the transaction of the decision itself, so a
decision never exists without its statement, and the e-mail goes once it is committed.
"""

from typing import Any

from django.utils.translation import gettext as _

from broadsheet.appeals.grounds import GUIDELINE_FOR_GROUND, Ground
from broadsheet.appeals.models import Guideline, Statement
from broadsheet.core.exceptions import ServiceError
from broadsheet.notifications import mail

Decision = Statement.Decision


def check_ground(ground: str) -> str:
    if ground not in Ground.values:
        raise ServiceError(
            _("Choose the ground for this decision from the list."), code="invalid_ground"
        )
    return ground


def guideline_for(ground: str, slug: str = "") -> Guideline | None:
    """The guideline named by `slug`, else the one the ground relates to (if it exists)."""
    if slug:
        found = Guideline.objects.filter(slug=slug).first()
        if found is None:
            raise ServiceError(
                _("There is no community guideline with that anchor."), code="invalid_guideline"
            )
        return found
    return Guideline.objects.filter(slug=GUIDELINE_FOR_GROUND[Ground(ground)]).first()


def issue(
    reader: Any,
    decision: str,
    *,
    ground: str,
    text: str = "",
    automatic: bool = False,
    decided_by: Any = None,
    comment: Any = None,
    sanction: Any = None,
    guideline: str = "",
) -> Statement:
    """Record the statement for a decision and queue its e-mail (call inside the decision's
    transaction)."""
    statement = Statement.objects.create(
        reader=reader,
        decision=decision,
        ground=check_ground(ground),
        text=text,
        automatic=automatic,
        guideline=guideline_for(ground, guideline),
        decided_by=None if automatic else decided_by,
        comment=comment,
        sanction=sanction,
        ends_at=getattr(sanction, "ends_at", None),
    )
    mail.queue(
        statement.reader_id,
        "statement",
        f"statement:{statement.pk}",
        payload={"statement": statement.pk},
    )
    return statement
