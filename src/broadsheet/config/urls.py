from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from broadsheet.api.urls import api
from broadsheet.comments import views as comments_views
from broadsheet.comments.feeds import StoryComments
from broadsheet.embed import views as embed_views
from broadsheet.stories.views import media_file

urlpatterns = [
    path("", include("broadsheet.core.urls")),
    path("accounts/comments/", comments_views.my_comments, name="my_comments"),
    path(
        "story/<slug:slug>/comments/feed/",
        StoryComments(),
        name="story_comments_feed",
    ),
    path("", include("broadsheet.appeals.urls")),
    path("", include("broadsheet.notifications.urls")),
    path("accounts/", include("broadsheet.accounts.urls")),
    path("accounts/", include("broadsheet.privacy.urls")),
    path("", include("broadsheet.subscriptions.urls")),
    path("", include("broadsheet.stories.urls")),
    path("comments/", include("broadsheet.comments.urls")),
    path("desk/", include("broadsheet.moderation.urls")),
    path("desk/", include("broadsheet.appeals.desk_urls")),
    path("report/", include("broadsheet.moderation.report_urls")),
    path("live/", include("broadsheet.live.urls")),
    path("embed.js", embed_views.loader_script, name="embed_script"),
    path("embed/", include("broadsheet.embed.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
if not settings.MEDIA_S3_BUCKET and settings.MEDIA_URL.startswith("/"):
    urlpatterns.append(
        re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.+)$", media_file, name="media")
    )

handler400 = "broadsheet.core.errors.bad_request"
handler403 = "broadsheet.core.errors.permission_denied"
handler404 = "broadsheet.core.errors.page_not_found"
handler500 = "broadsheet.core.errors.server_error"
