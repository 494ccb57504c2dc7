from django.urls import path

from broadsheet.subscriptions import views

app_name = "subscriptions"
urlpatterns = [
    path("plans/", views.plans, name="plans"),
]
