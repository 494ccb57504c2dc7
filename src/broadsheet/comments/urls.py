from django.urls import path

from broadsheet.comments import views

app_name = "comments"
urlpatterns = [
    path("story/<int:story_id>/", views.story_stream, name="story_stream"),
    path("<int:comment_id>/", views.permalink, name="permalink"),
    path("<int:comment_id>/thread/", views.thread, name="thread"),
    path("<int:comment_id>/reply/", views.reply, name="reply"),
    path("<int:comment_id>/edit/", views.edit, name="edit"),
    path("<int:comment_id>/delete/", views.delete, name="delete"),
    path("<int:comment_id>/recommend/", views.recommend, name="recommend"),
]
