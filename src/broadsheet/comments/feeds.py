"""A story's comments as an Atom feed, for readers who follow discussions in a feed reader.

Only published comments, as any visitor sees them; nothing of any reader's own view.
"""

from datetime import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext

from broadsheet.comments import queries
from broadsheet.comments.models import Comment
from broadsheet.stories import conf
from broadsheet.stories.models import Story
from broadsheet.stories.queries import story_for_reader

FEED_SIZE = 50


class StoryComments(Feed):
    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, slug: str) -> Story:
        return story_for_reader(slug)

    def title(self, obj: Story) -> str:
        return gettext("Comments on “%(headline)s” · %(site)s") % {
            "headline": obj.headline,
            "site": settings.SITE_NAME,
        }

    def link(self, obj: Story) -> str:
        return conf.site_url() + obj.get_absolute_url() + "#comments"

    def subtitle(self, obj: Story) -> str:
        return gettext("The newest published comments on this story.")

    def items(self, obj: Story) -> list[Comment]:
        return queries.latest_published(obj, FEED_SIZE)

    def item_title(self, item: Comment) -> str:
        return gettext("%(name)s on “%(headline)s”") % {
            "name": item.author.public_name,
            "headline": item.story.headline,
        }

    def item_description(self, item: Comment) -> str:
        return item.body_html  # rendered and sanitised when written

    def item_link(self, item: Comment) -> str:
        return f"{conf.site_url()}/comments/{item.pk}/"

    def item_author_name(self, item: Comment) -> str:
        return item.author.public_name

    def item_pubdate(self, item: Comment) -> datetime:
        return item.created_at

    def item_updateddate(self, item: Comment) -> datetime:
        return item.edited_at or item.created_at
