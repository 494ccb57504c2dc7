from django.urls import path

from broadsheet.embed import views

app_name = "embed"
urlpatterns = [
    path("frame/", views.frame, name="frame"),
    path("session/", views.session, name="session"),
    path("display-name/", views.display_name, name="display_name"),
    path("counts/", views.counts, name="counts"),
    path("counts.js", views.counts_script, name="counts_script"),
]
