"""Comments in the admin: to look up, never to change.

Every change to a comment goes through `comments.services` (counts, cache version,
events, audit), which the admin's save would bypass: the moderation desk is where
comments are approved, rejected and featured.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from broadsheet.comments.models import Comment, Reaction


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Comment)
class CommentAdmin(ReadOnlyAdmin):
    list_display = ["id", "story", "author", "status", "depth", "recommend_count", "created_at"]
    list_filter = ["status", "is_featured", "created_at"]
    search_fields = ["body", "author__email", "author__display_name", "story__headline"]
    list_select_related = ["story", "author"]
    raw_id_fields = ["story", "author", "parent", "root", "in_reply_to", "status_changed_by"]
    date_hierarchy = "created_at"


@admin.register(Reaction)
class ReactionAdmin(ReadOnlyAdmin):
    list_display = ["id", "comment", "reader", "kind", "created_at"]
    list_select_related = ["comment", "reader"]
    raw_id_fields = ["comment", "reader"]
