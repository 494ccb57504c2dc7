"""What kind of harm a held or refused comment may do, most serious first."""

from django.db import models
from django.utils.translation import gettext_lazy


class Category(models.TextChoices):
    THREAT = "threat", gettext_lazy("threat or incitement")
    HATE = "hate", "hate"
    SEXUAL = "sexual", "sexual"
    INSULT = "insult", "insult"
    SPAM = "spam", "spam"
    OTHER = "other", "other"


# Lower is more serious: the desk lists the most serious first.
SEVERITY = {category: rank for rank, category in enumerate(Category)}

# What the author is told, in their own words, about why the comment waits or was refused.
FOR_AUTHOR = {
    Category.THREAT: gettext_lazy("it may threaten someone or call for violence"),
    Category.HATE: gettext_lazy("it may attack people for who they are"),
    Category.SEXUAL: gettext_lazy("it may be sexually explicit or harassing"),
    Category.INSULT: gettext_lazy("it may insult someone"),
    Category.SPAM: gettext_lazy("it looks like advertising or spam"),
    Category.OTHER: gettext_lazy("it needs a moderator's look"),
}


def most_serious(categories: list[str]) -> str:
    """The most serious of `categories`, or "" when there are none."""
    known = [Category(c) for c in categories if c in Category.values]
    return min(known, key=SEVERITY.__getitem__).value if known else ""


def for_author(category: str) -> str:
    """The category as the author reads it on My comments ("" when there is none)."""
    return str(FOR_AUTHOR[Category(category)]) if category in Category.values else ""
