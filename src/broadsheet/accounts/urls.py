from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.generic import RedirectView

from broadsheet.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="accounts:profile"), name="account"),
    path("profile/", views.profile, name="profile"),
    path(
        "sign-in/",
        auth_views.LoginView.as_view(template_name="accounts/sign_in.html"),
        name="sign_in",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="sign_out"),
]
