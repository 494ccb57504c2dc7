"""Readers report comments here; the desk itself lives under /desk/."""

from django.urls import path

from broadsheet.moderation import views

app_name = "reports"
urlpatterns = [
    path("comment/<int:comment_id>/", views.report, name="comment"),
]
