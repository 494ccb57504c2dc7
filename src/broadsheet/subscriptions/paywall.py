"""Whether a reader sees a story in full, or its opening and the paywall."""

from dataclasses import dataclass

from django.http import HttpRequest

from broadsheet.stories.models import Story
from broadsheet.subscriptions.services import entitlements


@dataclass(frozen=True)
class StoryAccess:
    full: bool
    reason: str = ""


def story_access(request: HttpRequest, story: Story) -> StoryAccess:
    if not story.is_premium:
        return StoryAccess(full=True)
    if entitlements(request.user).premium_stories:
        return StoryAccess(full=True)
    return StoryAccess(full=False, reason="premium")
