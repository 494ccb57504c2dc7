from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.generic import RedirectView

from broadsheet.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", RedirectView.as_view(pattern_name="accounts:profile"), name="account"),
    path("profile/", views.profile, name="profile"),
    path("profile/check-name/", views.check_name, name="check_name"),
    path("security/", views.security, name="security"),
    path("security/password/", views.change_password, name="change_password"),
    path(
        "security/sign-out-everywhere/",
        views.sign_out_everywhere,
        name="sign_out_everywhere",
    ),
    path("language/", views.choose_language, name="language"),
    path("sign-up/", views.sign_up, name="sign_up"),
    path("sign-up/sent/", views.sign_up_sent, name="sign_up_sent"),
    path("sign-in/", views.SignInView.as_view(), name="sign_in"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="sign_out"),
    path("verify/resend/", views.resend_verification, name="resend_verification"),
    path("verify/<str:token>/", views.verify, name="verify"),
    path("reset/", views.ResetView.as_view(), name="reset"),
    path(
        "reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/reset_sent.html"),
        name="reset_sent",
    ),
    path("reset/<uidb64>/<token>/", views.ResetConfirmView.as_view(), name="reset_confirm"),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/reset_done.html"),
        name="reset_done",
    ),
]
