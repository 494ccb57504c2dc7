from django.urls import path

from broadsheet.privacy import views

app_name = "privacy"
urlpatterns = [
    path("data/", views.data, name="data"),
    path("data/download/", views.request_download, name="request_download"),
    path("data/download/<str:token>/", views.download, name="download"),
    path("data/delete/", views.delete_account, name="delete_account"),
    path("security/email/", views.change_email, name="change_email"),
    path("email/confirm/<str:token>/", views.confirm_email, name="confirm_email"),
    path("email/not-me/<str:token>/", views.not_me, name="not_me"),
]
