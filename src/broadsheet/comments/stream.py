"""The comment stream under a story: what the story page shows."""

from typing import Any

from django.http import HttpRequest

from broadsheet.stories.models import Story


def stream_context(request: HttpRequest, story: Story) -> dict[str, Any]:
    """Everything `comments/stream.html` needs to show the stream for this reader."""
    return {"story": story, "comments": story.comments.filter(status="published")[:20]}
