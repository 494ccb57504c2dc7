"""The stories API: published stories, one story (premium text only for entitled readers),
and search. The same reads as the pages, from broadsheet.stories.queries."""

from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from broadsheet.accounts.models import User
from broadsheet.api.errors import NOT_FOUND, ErrorOut
from broadsheet.api.pagination import BoundedPageNumberPagination
from broadsheet.stories import queries, rules
from broadsheet.stories.models import Section, Story, Topic
from broadsheet.subscriptions.paywall import StoryAccess, story_access

router = Router(tags=["stories"])


class SectionOut(Schema):
    name: str
    slug: str
    url: str

    @staticmethod
    def resolve_url(obj: Section) -> str:
        return obj.get_absolute_url()


class AuthorOut(Schema):
    name: str
    url: str

    @staticmethod
    def resolve_name(obj: User) -> str:
        return obj.public_name

    @staticmethod
    def resolve_url(obj: User) -> str:
        return f"/author/{obj.pk}/"


class TopicOut(Schema):
    name: str
    slug: str
    url: str

    @staticmethod
    def resolve_url(obj: Topic) -> str:
        return obj.get_absolute_url()


class StorySummary(Schema):
    slug: str
    url: str
    headline: str
    dek: str = Field(description="The summary under the headline.")
    byline: str = Field(description="The authors' names, or the desk's byline.")
    authors: list[AuthorOut]
    section: SectionOut
    topics: list[TopicOut]
    dateline: str
    published_at: datetime
    updated_at: datetime | None = Field(description="When the text last changed, if it did.")
    is_premium: bool
    comment_count: int
    comments_closed: bool

    @staticmethod
    def resolve_url(obj: Story) -> str:
        return obj.get_absolute_url()

    @staticmethod
    def resolve_byline(obj: Story) -> str:
        names = [author.public_name for author in obj.authors.all()]
        return " and ".join(names) if names else obj.byline

    @staticmethod
    def resolve_authors(obj: Story) -> list[User]:
        return list(obj.authors.all())

    @staticmethod
    def resolve_topics(obj: Story) -> list[Topic]:
        return list(obj.topics.all())

    @staticmethod
    def resolve_updated_at(obj: Story) -> datetime | None:
        return obj.revised_at

    @staticmethod
    def resolve_comments_closed(obj: Story) -> bool:
        return rules.comments_are_closed(obj)


class StoryOut(StorySummary):
    full_text: bool = Field(description="False when the story is premium and you are not entitled.")
    access_reason: str = Field(description="Why the full text is withheld: 'premium', or ''.")
    body_html: str | None = Field(description="Sanitized HTML; null without full access.")
    comment_mode: str


class StoryForReader:
    """A story with what this reader may see of it, for StoryOut to read from."""

    def __init__(self, story: Story, access: StoryAccess) -> None:
        self._story = story
        self.full_text = access.full
        self.access_reason = access.reason
        self.body_html = story.body_html if access.full else None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._story, name)


class StoryFilters(Schema):
    section: str | None = Field(None, description="A section slug.")
    topic: str | None = Field(None, description="A topic slug.")


class SearchFilters(Schema):
    q: str = Field(..., min_length=1, max_length=200, description="Words to search for.")


@router.get(
    "/",
    response=list[StorySummary],
    summary="Published stories, newest first",
    openapi_extra={"responses": {"404": NOT_FOUND}},  # an unknown section or topic
)
@paginate(BoundedPageNumberPagination, page_size=20)
def list_stories(request: HttpRequest, filters: Query[StoryFilters]) -> QuerySet[Story]:
    stories = queries.listed_stories()
    if filters.section:
        stories = stories.filter(section=queries.section_for_reader(filters.section))
    if filters.topic:
        stories = stories.filter(topics=queries.topic_for_reader(filters.topic))
    return queries.with_bylines(stories)


@router.get("/search", response=list[StorySummary], summary="Search published stories")
@paginate(BoundedPageNumberPagination, page_size=20)
def search(request: HttpRequest, filters: Query[SearchFilters]) -> list[Story]:
    return queries.search_stories(filters.q)


@router.get(
    "/{slug}",
    response={200: StoryOut, 404: ErrorOut},
    summary="One published story",
    description="The full text only when the reader may read it (free, or premium and "
    "entitled); otherwise body_html is null and access_reason says why. An old slug from "
    "before a headline change answers with the story at its current slug.",
)
def get_story(request: HttpRequest, slug: str) -> StoryOut:
    story, _ = queries.story_by_any_slug(slug)
    return StoryOut.from_orm(StoryForReader(story, story_access(request, story)))
