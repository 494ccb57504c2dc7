"""Template helpers of the moderation desk."""

from typing import Any

from django import template

from broadsheet.moderation import verdicts

register = template.Library()


@register.simple_tag
def checks_for(comment: Any, threshold: float) -> list[verdicts.Check]:
    """`{% checks_for comment threshold as checks %}`: one verdict per automatic check."""
    return verdicts.checks(comment, threshold)
