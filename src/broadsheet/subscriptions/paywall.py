"""Whether a reader sees a story in full, or its opening and the paywall.

Subscriber ("premium") stories are read in full by readers whose plan includes them.
Everyone else has a monthly allowance from their plan (a visitor has the free plan's):
counted per account for signed-in readers and per browser, in the session, for visitors.
Opening the same story again in the same month does not count twice.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime

import nh3
from django.http import HttpRequest
from django.utils import timezone

from broadsheet.accounts.readers import signed_in
from broadsheet.stories.models import Story
from broadsheet.subscriptions import conf
from broadsheet.subscriptions.models import Plan, PremiumRead
from broadsheet.subscriptions.queries import plans_on_offer, renew_url
from broadsheet.subscriptions.services import entitlements

SESSION_KEY = "subscriptions:premium_reads"
_PARAGRAPH_END = re.compile(r"</p\s*>", re.IGNORECASE)


@dataclass(frozen=True)
class StoryAccess:
    full: bool
    # "free" story, "subscriber" plan, monthly "allowance", or "premium": the paywall.
    reason: str = ""
    # The story's opening, shown above the paywall.
    preview_html: str = ""
    # Subscriber stories left this month on the allowance (None when not metered).
    remaining: int | None = None
    allowance: int = 0
    # The plans the paywall offers: those that include subscriber stories.
    offers: tuple[Plan, ...] = field(default_factory=tuple)
    # A reader whose subscription ended is offered that plan back, with the date it ended.
    lapsed_plan: Plan | None = None
    lapsed_at: datetime | None = None
    renew_url: str = ""


def story_access(request: HttpRequest, story: Story, *, now: datetime | None = None) -> StoryAccess:
    if not story.is_premium:
        return StoryAccess(full=True, reason="free")
    reader_entitlements = entitlements(request.user, now=now)
    if reader_entitlements.premium_stories:
        return StoryAccess(full=True, reason="subscriber")
    allowance = reader_entitlements.monthly_free_premium
    month = timezone.localtime(now or timezone.now()).strftime("%Y-%m")
    user = signed_in(request.user)
    if user is not None:
        remaining = _count_account_read(user.pk, story, month, allowance, now)
    else:
        remaining = _count_browser_read(request, story, month, allowance)
    if remaining is not None:
        return StoryAccess(full=True, reason="allowance", remaining=remaining, allowance=allowance)
    return StoryAccess(
        full=False,
        reason="premium",
        preview_html=opening(story.body_html),
        remaining=0,
        allowance=allowance,
        offers=tuple(plan for plan in plans_on_offer() if plan.premium_stories),
        lapsed_plan=reader_entitlements.lapsed_plan,
        lapsed_at=reader_entitlements.lapsed_at,
        renew_url=renew_url(reader_entitlements.lapsed_plan)
        if reader_entitlements.lapsed_plan
        else "",
    )


def _count_account_read(
    user_id: int, story: Story, month: str, allowance: int, now: datetime | None
) -> int | None:
    """Stories left after this one, or None if the allowance is used up."""
    reads = PremiumRead.objects.filter(reader_id=user_id, month=month)
    if reads.filter(story=story).exists():
        return max(allowance - reads.count(), 0)
    used = reads.count()
    if used >= allowance:
        return None
    PremiumRead.objects.get_or_create(
        reader_id=user_id, story=story, month=month, defaults={"at": now or timezone.now()}
    )
    return allowance - used - 1


def _count_browser_read(
    request: HttpRequest, story: Story, month: str, allowance: int
) -> int | None:
    record = request.session.get(SESSION_KEY) or {}
    read = list(record.get("stories", [])) if record.get("month") == month else []
    if story.pk in read:
        return max(allowance - len(read), 0)
    if len(read) >= allowance:
        return None
    read.append(story.pk)
    request.session[SESSION_KEY] = {"month": month, "stories": read}
    return allowance - len(read)


def opening(body_html: str, paragraphs: int | None = None) -> str:
    """The first paragraphs of a story's (already sanitised) HTML, with its tags closed.

    Never the whole story: if the cut would leave nothing unread, it moves back a paragraph.
    """
    count = conf.preview_paragraphs() if paragraphs is None else paragraphs
    ends = [match.end() for match in _PARAGRAPH_END.finditer(body_html)][:count]
    while ends and not nh3.clean(body_html[ends[-1] :], tags=set()).strip():
        ends.pop()
    if not ends:
        return ""
    # nh3 re-parses the cut and closes whatever it left open.
    return nh3.clean(body_html[: ends[-1]])
