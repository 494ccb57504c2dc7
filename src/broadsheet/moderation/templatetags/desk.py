"""Template helpers of the moderation desk."""

from datetime import timedelta
from typing import Any

from django import template
from django.utils.safestring import SafeString
from django.utils.translation import ngettext

from broadsheet.moderation import audit_text, verdicts

register = template.Library()


@register.simple_tag
def checks_for(comment: Any, threshold: float) -> list[verdicts.Check]:
    """`{% checks_for comment threshold as checks %}`: one verdict per automatic check."""
    return verdicts.checks(comment, threshold)


@register.filter
def duration_words(value: timedelta) -> str:
    """A wait as people say it: "45 seconds", "12 minutes", "3 hours 5 minutes", "2 days"."""
    seconds = int(value.total_seconds())
    if seconds < 60:
        return ngettext("%(n)d second", "%(n)d seconds", seconds) % {"n": seconds}
    minutes = seconds // 60
    if minutes < 60:
        return ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        text = ngettext("%(n)d hour", "%(n)d hours", hours) % {"n": hours}
        if minutes:
            text += " " + ngettext("%(n)d minute", "%(n)d minutes", minutes) % {"n": minutes}
        return text
    days = hours // 24
    return ngettext("%(n)d day", "%(n)d days", days) % {"n": days}


@register.simple_tag(takes_context=True)
def audit_sentence(context: template.Context, entry: Any, entries: Any) -> SafeString:
    """`{% audit_sentence entry entries %}`: the entry as a sentence; the readers the list
    names are read once per list."""
    key = f"audit_people_{id(entries)}"
    people: dict[int, Any] | None = context.render_context.get(key)
    if people is None:
        people = audit_text.readers_named(list(entries))
        context.render_context[key] = people
    return audit_text.sentence(entry, people)
