from django.urls import path

from broadsheet.core import views

app_name = "core"
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("jsi18n/<str:language>.js", views.javascript_catalog, name="javascript_catalog"),
]
