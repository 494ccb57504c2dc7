"""The grounds a moderator chooses from when restricting a comment or a reader.

Each ground names the community guideline it usually relates to (by its anchor), so a
decision always points the reader at the rule it applied.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from broadsheet.moderation.categories import Category


class Ground(models.TextChoices):
    PERSONAL_ATTACK = "personal_attack", _("a personal attack")
    HATE = "hate", _("hate speech or slurs")
    THREAT = "threat", _("a threat or incitement to violence")
    SEXUAL = "sexual", _("sexual content or harassment")
    SPAM = "spam", _("spam or advertising")
    OFF_TOPIC = "off_topic", _("off-topic")
    MISINFORMATION = "misinformation", _("misinformation")
    ILLEGAL = "illegal", _("illegal content")
    OTHER = "other", _("another breach of the community guidelines")


# The guideline (its anchor) each ground relates to unless the moderator names another.
GUIDELINE_FOR_GROUND = {
    Ground.PERSONAL_ATTACK: "respect",
    Ground.HATE: "no-hate",
    Ground.THREAT: "no-threats",
    Ground.SEXUAL: "respect",
    Ground.SPAM: "no-spam",
    Ground.OFF_TOPIC: "on-topic",
    Ground.MISINFORMATION: "accuracy",
    Ground.ILLEGAL: "the-law",
    Ground.OTHER: "respect",
}

# The desk's suggested rejection reasons (moderation.forms.REJECT_REASONS) as grounds, so
# a rejection typed from that list needs no second choice.
GROUND_FOR_REASON = {
    "personal attack": Ground.PERSONAL_ATTACK,
    "hate speech or slurs": Ground.HATE,
    "spam or advertising": Ground.SPAM,
    "off-topic": Ground.OFF_TOPIC,
    "misinformation": Ground.MISINFORMATION,
    "breaks the community guidelines": Ground.OTHER,
}

GROUND_FOR_CATEGORY = {
    Category.THREAT: Ground.THREAT,
    Category.HATE: Ground.HATE,
    Category.SEXUAL: Ground.SEXUAL,
    Category.INSULT: Ground.PERSONAL_ATTACK,
    Category.SPAM: Ground.SPAM,
    Category.OTHER: Ground.OTHER,
}


def infer(reason: str, category: str = "") -> str:
    """The ground for a decision whose moderator did not choose one."""
    known = GROUND_FOR_REASON.get(reason.strip().casefold())
    if known:
        return known.value
    if category in Category.values:
        return GROUND_FOR_CATEGORY[Category(category)].value
    return Ground.OTHER.value
