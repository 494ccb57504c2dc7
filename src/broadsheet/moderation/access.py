"""Who may use the moderation desk: moderators and editors, nobody else."""

from typing import Any

from django.utils.translation import gettext as _

from broadsheet.core.exceptions import ServiceError


def is_desk_member(user: Any) -> bool:
    """Moderators (moderation.view_sanction) and editors (stories.change_story)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return bool(user.has_perm("moderation.view_sanction") or user.has_perm("stories.change_story"))


def check_desk_member(user: Any) -> None:
    if not getattr(user, "is_authenticated", False):
        raise ServiceError(_("Sign in first."), code="sign_in_required", status=401)
    if not is_desk_member(user):
        raise ServiceError(
            _("Only moderators and editors may do this."), code="not_allowed", status=403
        )


def check_may_sanction(user: Any) -> None:
    """Warnings, suspensions, bans and pre-moderation are for moderators."""
    check_desk_member(user)
    if not user.has_perm("moderation.add_sanction"):
        raise ServiceError(
            _("Only moderators may warn, suspend or ban readers."), code="not_allowed", status=403
        )
