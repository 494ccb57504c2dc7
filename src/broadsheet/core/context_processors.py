from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

SECTIONS_CACHE_KEY = "core:nav-sections"


def site(request: HttpRequest) -> dict[str, Any]:
    """The site's name and the sections for the header, cached briefly."""
    from broadsheet.stories.models import Section

    sections = cache.get(SECTIONS_CACHE_KEY)
    if sections is None:
        sections = list(Section.objects.values("name", "slug"))
        if sections:  # a site still being set up shows its first section at once
            cache.set(SECTIONS_CACHE_KEY, sections, 60)
    return {
        "SITE_NAME": settings.SITE_NAME,
        "LIVE_URL": settings.LIVE_URL,
        "nav_sections": sections,
    }
