from django.urls import path

from broadsheet.comments import views
from broadsheet.core.replicas import stale_reads_ok

app_name = "comments"
urlpatterns = [
    path(
        "story/<int:story_id>/",
        stale_reads_ok(views.story_stream, visitors_only=True),
        name="story_stream",
    ),
    path("<int:comment_id>/", views.permalink, name="permalink"),
    path(
        "<int:comment_id>/thread/", stale_reads_ok(views.thread, visitors_only=True), name="thread"
    ),
    path("<int:comment_id>/reply/", views.reply, name="reply"),
    path("<int:comment_id>/edit/", views.edit, name="edit"),
    path("<int:comment_id>/delete/", views.delete, name="delete"),
    path("<int:comment_id>/recommend/", views.recommend, name="recommend"),
]
