"""The automatic checks every new or edited comment passes, in order.

`screen` decides whether a comment is published, held for review, or refused.
"""

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Outcome(StrEnum):
    PUBLISH = "publish"
    HOLD = "hold"
    REFUSE = "refuse"


@dataclass(frozen=True)
class Screening:
    outcome: Outcome
    reasons: list[str] = field(default_factory=list)
    toxicity: float | None = None
    message: str = ""


def screen(*, author: Any, story: Any, text: str, editing: Any = None) -> Screening:
    """Run the checks on `text` by `author` for `story` (`editing`: the comment being edited)."""
    if story.comment_mode == "premoderated":
        return Screening(Outcome.HOLD, reasons=["story_premoderated"])
    return Screening(Outcome.PUBLISH)
