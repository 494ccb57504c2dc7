"""sitemap.xml: published stories, sections and topics."""

from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet

from broadsheet.stories import conf, queries
from broadsheet.stories.models import Section, Story, Topic


class SiteSitemap[T](Sitemap[T]):
    """URLs on the site's public address (SITE_URL), the same as the canonical links."""

    def get_protocol(self, protocol: str | None = None) -> str:
        return urlsplit(conf.site_url()).scheme

    def get_domain(self, site: Any = None) -> str:
        return urlsplit(conf.site_url()).netloc


class StorySitemap(SiteSitemap[Story]):
    changefreq = "daily"
    priority = 0.8
    limit = 5000

    def items(self) -> QuerySet[Story]:
        return queries.published_stories().order_by("-published_at", "-pk")

    def lastmod(self, item: Story) -> datetime | None:
        return item.revised_at or item.published_at


class SectionSitemap(SiteSitemap[Section]):
    changefreq = "hourly"
    priority = 0.6

    def items(self) -> QuerySet[Section]:
        return Section.objects.all()


class TopicSitemap(SiteSitemap[Topic]):
    changefreq = "daily"
    priority = 0.4

    def items(self) -> QuerySet[Topic]:
        return Topic.objects.filter(stories__in=queries.published_stories()).distinct()


SITEMAPS = {"stories": StorySitemap, "sections": SectionSitemap, "topics": TopicSitemap}
