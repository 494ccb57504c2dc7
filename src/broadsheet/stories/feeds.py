"""RSS and Atom feeds of the latest stories, for the whole site and for each section.

Each entry carries its lead image (an enclosure) and its corrections and updates.

Premium stories appear with their summary only; the full text stays behind the paywall.
"""

from datetime import datetime

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.feedgenerator import Atom1Feed, Enclosure
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from broadsheet.stories import conf, queries
from broadsheet.stories.models import Section, Story, StoryNote

FEED_SIZE = 30


class LatestStories(Feed):
    description = gettext_lazy("The latest stories.")

    def title(self) -> str:
        from django.conf import settings

        return _("%(site)s: latest stories") % {"site": settings.SITE_NAME}

    def link(self) -> str:
        return conf.site_url() + "/"

    def items(self) -> list[Story]:
        return list(
            queries.with_bylines(queries.listed_stories()).prefetch_related("notes")[:FEED_SIZE]
        )

    def item_title(self, item: Story) -> str:
        return item.headline

    def item_description(self, item: Story) -> str:
        """The summary, then every correction and update with its date."""
        notes = list(item.notes.all())
        if not notes:
            return item.dek
        parts = [format_html("<p>{}</p>", item.dek)] if item.dek else []
        for note in notes:
            label = _("Correction") if note.kind == StoryNote.Kind.CORRECTION else _("Update")
            day = date_format(timezone.localtime(note.created_at), "j F Y")
            parts.append(format_html("<p><strong>{}, {}:</strong> {}</p>", label, day, note.text))
        return "".join(parts)

    def item_enclosures(self, item: Story) -> list[Enclosure]:
        image = item.lead_image
        if image is None:
            return []
        largest = image.largest
        return [Enclosure(image.absolute_src, str(largest["bytes"]), largest["type"])]

    def item_link(self, item: Story) -> str:
        return conf.site_url() + item.get_absolute_url()

    def item_guid(self, item: Story) -> str:
        # Stable across headline changes (the URL is not): the story's id.
        return f"{conf.site_url()}/story-id/{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Story) -> datetime | None:
        return item.published_at

    def item_updateddate(self, item: Story) -> datetime | None:
        return item.revised_at or item.published_at

    def item_author_name(self, item: Story) -> str:
        names = [author.public_name for author in item.authors.all()]
        return ", ".join(names) or item.byline

    def item_categories(self, item: Story) -> list[str]:
        section = [item.section.name] if item.section else []
        return [*section, *(topic.name for topic in item.topics.all())]


class LatestStoriesAtom(LatestStories):
    feed_type = Atom1Feed
    subtitle = LatestStories.description


class SectionStories(LatestStories):
    def get_object(self, request: HttpRequest, slug: str) -> Section:
        return queries.section_for_reader(slug)

    def title(self, obj: Section) -> str:  # type: ignore[override]
        from django.conf import settings

        return f"{settings.SITE_NAME}: {obj.name}"

    def link(self, obj: Section) -> str:  # type: ignore[override]
        return conf.site_url() + obj.get_absolute_url()

    def description(self, obj: Section) -> str:  # type: ignore[override]
        return _("The latest stories in %(name)s.") % {"name": obj.name}

    def items(self, obj: Section) -> list[Story]:  # type: ignore[override]
        stories = queries.listed_stories().filter(section=obj).prefetch_related("notes")
        return list(queries.with_bylines(stories)[:FEED_SIZE])


class SectionStoriesAtom(SectionStories):
    feed_type = Atom1Feed

    def subtitle(self, obj: Section) -> str:
        return _("The latest stories in %(name)s.") % {"name": obj.name}
