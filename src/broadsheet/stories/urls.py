from django.urls import path

from broadsheet.stories import views

app_name = "stories"
urlpatterns = [
    path("", views.home, name="home"),
    path("section/<slug:slug>/", views.section, name="section"),
    path("story/<slug:slug>/", views.story, name="story"),
]
