from django.urls import path

from broadsheet.notifications import views

app_name = "notifications"
urlpatterns = [
    path("notifications/", views.inbox, name="inbox"),
    path("notifications/read/", views.mark_read, name="mark_read"),
    path("notifications/<int:notification_id>/", views.open_notification, name="open"),
    path("notifications/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("notifications/follow/story/<int:story_id>/", views.follow_story, name="follow_story"),
    path(
        "notifications/follow/thread/<int:comment_id>/", views.follow_thread, name="follow_thread"
    ),
    path("notifications/mute/<int:comment_id>/", views.mute, name="mute"),
    path("accounts/notifications/", views.settings_page, name="settings"),
    path("accounts/muted/", views.muted_page, name="muted"),
    path("accounts/muted/<int:reader_id>/unmute/", views.unmute, name="unmute"),
]
