"""The desk's Appeals and Notices queues, under /desk/."""

from django.urls import path

from broadsheet.appeals import views

app_name = "appeals_desk"
urlpatterns = [
    path("appeals/", views.desk_appeals, name="appeals"),
    path("appeals/<int:appeal_id>/", views.desk_appeal, name="appeal"),
    path("notices/", views.desk_notices, name="notices"),
    path("notices/<int:notice_id>/", views.desk_notice, name="notice"),
]
