from django.contrib.sitemaps import views as sitemaps
from django.urls import path

from broadsheet.core.replicas import stale_reads_ok
from broadsheet.stories import feeds, views
from broadsheet.stories.sitemaps import SITEMAPS, sitemap_index

app_name = "stories"
urlpatterns = [
    path("", views.home, name="home"),
    path("section/<slug:slug>/", views.section, name="section"),
    path("topic/<slug:slug>/", views.topic, name="topic"),
    path("author/<int:pk>/", views.author, name="author"),
    path("story/<slug:slug>/", stale_reads_ok(views.story), name="story"),
    path("search/", stale_reads_ok(views.search), name="search"),
    path("feeds/latest/", stale_reads_ok(feeds.LatestStories()), name="feed"),
    path("feeds/latest/atom/", stale_reads_ok(feeds.LatestStoriesAtom()), name="feed_atom"),
    path("feeds/section/<slug:slug>/", stale_reads_ok(feeds.SectionStories()), name="section_feed"),
    path(
        "feeds/section/<slug:slug>/atom/",
        stale_reads_ok(feeds.SectionStoriesAtom()),
        name="section_feed_atom",
    ),
    # An index of per-kind sitemaps, each paginated (?p=2): crawlers find every page.
    path("sitemap.xml", sitemap_index, name="sitemap"),
    path(
        "sitemap-<section>.xml",
        sitemaps.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
]
