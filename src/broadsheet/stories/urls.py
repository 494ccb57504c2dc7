from django.contrib.sitemaps.views import sitemap
from django.urls import path

from broadsheet.stories import feeds, views
from broadsheet.stories.sitemaps import SITEMAPS

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
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]
