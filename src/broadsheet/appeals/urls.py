"""The public pages: guidelines, transparency, and the illegal-content notice form."""

from django.urls import path

from broadsheet.appeals import views

app_name = "appeals"
urlpatterns = [
    path("guidelines/", views.guidelines_page, name="guidelines"),
    path("transparency/", views.transparency_page, name="transparency"),
    path("notices/new/", views.notice, name="notice"),
    path("accounts/decisions/", views.decisions, name="decisions"),
    path("accounts/decisions/<int:statement_id>/", views.decision, name="decision"),
]
