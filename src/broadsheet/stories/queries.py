"""Reads of stories for readers: only what is published, and published by now."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from broadsheet.stories.models import Section, Story


def published_stories() -> QuerySet[Story]:
    return Story.objects.filter(
        status__in=[Story.Status.PUBLISHED, Story.Status.SCHEDULED],
        published_at__lte=timezone.now(),
    ).select_related("section")


def story_for_reader(slug: str) -> Story:
    """The published story at `slug`; a draft or a story not yet due is a 404, never a 403."""
    return get_object_or_404(published_stories(), slug=slug)


def section_for_reader(slug: str) -> Section:
    return get_object_or_404(Section, slug=slug)
