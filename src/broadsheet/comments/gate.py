"""The commenting gate: whether a reader may comment on a story, and if not, why and what fixes it.

The story page, the API and the post handler all ask `decide`, so a reader sees the same
answer everywhere and a crafted request is refused for the same reason.
"""

import contextlib
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from django.core.cache import cache
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.formats import date_format
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, ngettext

from broadsheet.accounts.readers import Reader, signed_in
from broadsheet.comments import quiet
from broadsheet.core.cache import CacheUnavailableError
from broadsheet.moderation.models import Sanction
from broadsheet.moderation.sanctions import commenting_sanction, stopping
from broadsheet.stories.models import Story
from broadsheet.stories.rules import comments_are_closed
from broadsheet.subscriptions.models import Plan
from broadsheet.subscriptions.services import entitlements

STORY_CLOSED = "story_closed"
QUIET_HOURS = "quiet_hours"
SIGN_IN_REQUIRED = "sign_in_required"
BANNED = "banned"
SUSPENDED = "suspended"
PLAN_EXCLUDES_COMMENTS = "plan_excludes_comments"
DISPLAY_NAME_REQUIRED = "display_name_required"

REASONS = (
    STORY_CLOSED,
    QUIET_HOURS,
    SIGN_IN_REQUIRED,
    BANNED,
    SUSPENDED,
    PLAN_EXCLUDES_COMMENTS,
    DISPLAY_NAME_REQUIRED,
)

DISPLAY_NAME_MESSAGE = gettext_noop(
    "With your current subscription plan you can comment on stories. However, before "
    "writing your first comment, please create a display name in the Profile section of "
    "your subscriber account page."
)

PLANS_URL = "/plans/"


@dataclass(frozen=True)
class Link:
    text: str
    url: str


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str = ""
    message: str = ""
    fix_url: str = ""
    # The words of `message` that link to `fix_url`, and any further links (e.g. sign up).
    fix_text: str = ""
    more_links: tuple[Link, ...] = ()

    @property
    def status(self) -> int:
        """The HTTP status a refusal answers with: 401 asks the visitor to sign in."""
        if self.allowed:
            return 200
        return 401 if self.reason == SIGN_IN_REQUIRED else 403

    @property
    def links(self) -> tuple[Link, ...]:
        first = (Link(self.fix_text, self.fix_url),) if self.fix_url else ()
        return first + self.more_links

    @property
    def message_html(self) -> SafeString:
        """The message with each link's words linked in place; links not in it follow it."""
        html = str(escape(self.message))
        trailing = []
        for link in self.links:
            words = escape(link.text)
            anchor = format_html('<a href="{}">{}</a>', link.url, link.text)
            if words and words in html:
                html = html.replace(words, anchor, 1)
            else:
                trailing.append(anchor)
        return mark_safe(" ".join([html, *trailing]))


ALLOWED = Decision(allowed=True)


def _with_next(url: str, story: Story, anchor: str = "") -> str:
    return f"{url}?{urlencode({'next': story.get_absolute_url() + anchor})}"


def _day(moment: datetime) -> str:
    return date_format(timezone.localtime(moment), "DATE_FORMAT")


def _statement_of(sanction: Sanction) -> tuple[str, str]:
    """The reason the reader was given for `sanction`, and where to read it and appeal."""
    from broadsheet.appeals.queries import statement_for_sanction

    statement = statement_for_sanction(sanction.pk)
    if statement is None:
        return "", ""
    why = str(statement.get_ground_display())
    if statement.text:
        why = f"{why} ({statement.text})"
    return " " + _("Reason: %(why)s.") % {"why": why}, statement.get_absolute_url()


def _sanction_decision(sanction: Sanction) -> Decision:
    reason, statement_url = _statement_of(sanction)
    appeal = _("See the decision and how to appeal it") if statement_url else ""
    if sanction.kind == Sanction.Kind.BAN:
        return Decision(
            allowed=False,
            reason=BANNED,
            message=_("Your account has been banned from commenting.") + reason,
            fix_url=statement_url,
            fix_text=appeal,
        )
    if sanction.ends_at is None:
        message = _("Your commenting is suspended until further notice.")
    else:
        until = format_date(timezone.localtime(sanction.ends_at), "j F Y, H:i T")
        message = _("Your commenting is suspended until %(until)s.") % {"until": until}
    return Decision(
        allowed=False,
        reason=SUSPENDED,
        message=message + reason,
        fix_url=statement_url,
        fix_text=appeal,
    )


COMMENTING_PLANS_KEY = "gate:commenting-plans"


def commenting_plan_rows() -> list[tuple[str, int, bool]]:
    """(name, trial days, trial includes comments) of the public plans that include
    commenting, from the shared cache: every page that refuses a reader names them."""
    rows = cache.get(COMMENTING_PLANS_KEY)
    if rows is None:
        plans = Plan.objects.filter(may_comment=True, is_public=True, is_retired=False)
        rows = list(plans.values_list("name", "trial_days", "trial_includes_comments"))
        with contextlib.suppress(CacheUnavailableError):  # the store is down: the database answered
            cache.set(COMMENTING_PLANS_KEY, rows, timeout=3600)
    return [tuple(row) for row in rows]


def forget_commenting_plans(**_: object) -> None:
    """A plan changed: every process reads the plans again, and no cached page names the
    old ones."""
    from broadsheet.core.pagecache import site_changed

    cache.delete(COMMENTING_PLANS_KEY)
    site_changed()


def commenting_plans() -> str:
    """The public plans that include commenting ("Digital Plus (with a 14-day free trial)
    and Member"), a trial named only when it includes commenting too; "" when none does.
    Every refusal that a plan would fix names them, and so does the plans page."""
    names = []
    for name, trial_days, trial_includes_comments in commenting_plan_rows():
        if trial_days and trial_includes_comments:
            names.append(
                ngettext(
                    "%(plan)s (with a %(days)d-day free trial)",
                    "%(plan)s (with a %(days)d-day free trial)",
                    trial_days,
                )
                % {"plan": name, "days": trial_days}
            )
        else:
            names.append(name)
    if len(names) < 2:
        return "".join(names)
    return _("%(first)s and %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def _commenting_plans() -> str:
    listed = commenting_plans()
    return " " + _("Commenting comes with %(plans)s.") % {"plans": listed} if listed else ""


def decide(reader: Reader, story: Story, *, sanctions: list[Sanction] | None = None) -> Decision:
    """May `reader` comment on `story`? The first reason that applies wins.

    `sanctions`: the reader's sanctions in force, when the caller has already read them
    (posting reads them once for the gate and the moderation pipeline).
    """
    if comments_are_closed(story):
        return Decision(
            allowed=False, reason=STORY_CLOSED, message=_("Comments are closed for this story.")
        )
    reopens = quiet.closed_until()
    if reopens is not None:
        return Decision(allowed=False, reason=QUIET_HOURS, message=quiet.message(reopens))
    user = signed_in(reader)
    if user is None:
        return Decision(
            allowed=False,
            reason=SIGN_IN_REQUIRED,
            # Say up front which plans include commenting, so signing up is no surprise.
            message=_("Sign in or create an account to join the conversation.")
            + _commenting_plans(),
            fix_url=_with_next("/accounts/sign-in/", story),
            fix_text=_("Sign in"),
            more_links=(Link(_("create an account"), _with_next("/accounts/sign-up/", story)),),
        )
    sanction = commenting_sanction(user) if sanctions is None else stopping(sanctions)
    if sanction is not None:
        return _sanction_decision(sanction)
    rights = entitlements(user)
    if not rights.may_comment:
        plan = rights.plan.name if rights.plan else _("free")
        if rights.lapsed_at is not None:
            ended = rights.lapsed_plan.name if rights.lapsed_plan else _("previous")
            return Decision(
                allowed=False,
                reason=PLAN_EXCLUDES_COMMENTS,
                message=(
                    _(
                        "Your %(ended)s subscription ended on %(day)s. Your current plan, "
                        "%(plan)s, does not include commenting. Renew your subscription to "
                        "join the conversation."
                    )
                    % {"ended": ended, "day": _day(rights.lapsed_at), "plan": plan}
                ),
                fix_url=PLANS_URL,
                fix_text=_("Renew your subscription"),
            )
        return Decision(
            allowed=False,
            reason=PLAN_EXCLUDES_COMMENTS,
            message=(
                _(
                    "Your current plan, %(plan)s, does not include commenting."
                    "%(commenting_plans)s See the plans."
                )
                % {"plan": plan, "commenting_plans": _commenting_plans()}
            ),
            fix_url=PLANS_URL,
            fix_text=_("See the plans"),
        )
    if not user.display_name:
        return Decision(
            allowed=False,
            reason=DISPLAY_NAME_REQUIRED,
            message=_(DISPLAY_NAME_MESSAGE),
            # Back to the comment box once the name is saved.
            fix_url=_with_next("/accounts/profile/", story, "#comments") + "#display-name",
            fix_text=_("Profile section"),
        )
    return ALLOWED
