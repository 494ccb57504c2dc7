"""The community guidelines: sections editors write in Markdown, each with its own anchor."""

from django.db import transaction
from django.utils.translation import gettext as _

from broadsheet.appeals.models import Guideline
from broadsheet.comments.markdown import render_comment
from broadsheet.core.audit import record
from broadsheet.core.exceptions import ServiceError


def check_may_edit(user: object) -> None:
    if not getattr(user, "has_perm", None) or not user.has_perm("appeals.change_guideline"):  # type: ignore[attr-defined]
        raise ServiceError(
            _("Only editors may change the guidelines."), code="not_allowed", status=403
        )


def save(editor: object, guideline: Guideline) -> Guideline:
    """Store an editor's change to a section, rendered once through the comment sanitiser."""
    check_may_edit(editor)
    if not guideline.body.strip():
        raise ServiceError(_("A guideline needs some text."), code="text_required")
    with transaction.atomic():
        created = guideline.pk is None
        guideline.body_html = render_comment(guideline.body)
        guideline.updated_by = editor  # type: ignore[assignment]
        guideline.save()
        record(
            editor,
            "appeals:guideline:" + ("added" if created else "changed"),
            guideline,
            slug=guideline.slug,
        )
    return guideline


def all_sections() -> list[Guideline]:
    return list(Guideline.objects.all())
