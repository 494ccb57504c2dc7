from django.urls import path

from broadsheet.subscriptions import views

app_name = "subscriptions"
urlpatterns = [
    path("plans/", views.plans, name="plans"),
    path("plans/<slug:slug>/checkout/", views.checkout, name="checkout"),
    path("plans/<slug:slug>/change/", views.change, name="change"),
    path("accounts/subscription/", views.account, name="account"),
    path("accounts/subscription/cancel/", views.cancel, name="cancel"),
    path("accounts/subscription/resume/", views.resume, name="resume"),
    path("accounts/subscription/card/", views.update_card, name="card"),
    path("payments/webhook/", views.webhook, name="webhook"),
]
