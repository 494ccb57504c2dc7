"""sitemap.xml: published stories, sections and topics."""

from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem
from django.db.models import QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse

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
    limit = 1000  # URLs per page: small pages answer quickly; the index lists them all

    def items(self) -> QuerySet[Story]:
        # Only what a sitemap entry needs: not the text of thousands of stories.
        return (
            queries.listed_stories()
            .select_related(None)
            .only("slug", "published_at", "revised_at")
            .order_by("-published_at", "-pk")
        )

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
        return Topic.objects.filter(stories__in=queries.listed_stories()).distinct()


SITEMAPS: dict[str, type[Sitemap[Any]]] = {
    "stories": StorySitemap,
    "sections": SectionSitemap,
    "topics": TopicSitemap,
}


def sitemap_index(request: HttpRequest) -> TemplateResponse:
    """sitemap.xml: every page of every sitemap, on the site's public address."""
    items = []
    for name, kind in SITEMAPS.items():
        site_map = kind()
        url = conf.site_url() + reverse("stories:sitemap_section", kwargs={"section": name})
        items.append(SitemapIndexItem(url, site_map.get_latest_lastmod()))  # type: ignore[arg-type]  # the stubs say bool
        items += [
            SitemapIndexItem(f"{url}?p={page}", None)
            for page in range(2, site_map.paginator.num_pages + 1)
        ]
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": items}, content_type="application/xml"
    )
