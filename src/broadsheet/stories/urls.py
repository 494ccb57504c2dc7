from django.contrib.sitemaps import views as sitemaps
from django.urls import path

from broadsheet.stories import feeds, views
from broadsheet.stories.sitemaps import SITEMAPS, sitemap_index

app_name = "stories"
urlpatterns = [
    path("", views.home, name="home"),
    path("section/<slug:slug>/", views.section, name="section"),
    path("topic/<slug:slug>/", views.topic, name="topic"),
    path("author/<int:pk>/", views.author, name="author"),
    path("story/<slug:slug>/", views.story, name="story"),
    path("search/", views.search, name="search"),
    path("feeds/latest/", feeds.LatestStories(), name="feed"),
    path("feeds/latest/atom/", feeds.LatestStoriesAtom(), name="feed_atom"),
    path("feeds/section/<slug:slug>/", feeds.SectionStories(), name="section_feed"),
    path("feeds/section/<slug:slug>/atom/", feeds.SectionStoriesAtom(), name="section_feed_atom"),
    # An index of per-kind sitemaps, each paginated (?p=2): crawlers find every page.
    path("sitemap.xml", sitemap_index, name="sitemap"),
    path(
        "sitemap-<section>.xml",
        sitemaps.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap_section",
    ),
]
