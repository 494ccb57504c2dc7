"""Comments in the admin: to look up, never to change.

Every change to a comment goes through `comments.services` (counts, cache version,
events, audit), which the admin's save would bypass: the moderation desk is where
comments are approved, rejected and featured.
"""

from django.contrib import admin

from broadsheet.comments.models import Comment, Reaction
from broadsheet.core.admin import ReadOnlyAdmin


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
