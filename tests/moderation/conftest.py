"""Fixtures for the moderation tests: a story, readers, staff and comments."""

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from broadsheet.accounts.models import User
from broadsheet.comments.models import Comment
from broadsheet.moderation.wordlists import install_defaults
from broadsheet.stories.models import Section, Story


def make_user(email: str, name: str | None = None, group: str | None = None) -> User:
    user = User.objects.create_user(email, "pw-for-tests-123")
    if name:
        user.display_name = name
        user.display_name_key = name.casefold()
        user.save()
    if group:
        user.groups.add(Group.objects.get(name=group))
    return User.objects.get(pk=user.pk)  # fresh, without a cached permission set


@pytest.fixture
def section(db: Any) -> Section:
    return Section.objects.create(name="City", slug="city")


@pytest.fixture
def story(section: Section) -> Story:
    from django.utils import timezone

    return Story.objects.create(
        headline="Night buses approved",
        slug="night-buses-approved",
        body="Six routes.",
        body_html="<p>Six routes.</p>",
        section=section,
        status=Story.Status.PUBLISHED,
        published_at=timezone.now(),
    )


@pytest.fixture
def other_story(section: Section) -> Story:
    from django.utils import timezone

    return Story.objects.create(
        headline="Library opens late",
        slug="library-opens-late",
        body="Until ten.",
        body_html="<p>Until ten.</p>",
        section=section,
        status=Story.Status.PUBLISHED,
        published_at=timezone.now(),
    )


@pytest.fixture
def reader(db: Any) -> User:
    return make_user("reader@example.com", "Harbour Watcher")


@pytest.fixture
def another_reader(db: Any) -> User:
    return make_user("another@example.com", "Quay Walker")


@pytest.fixture
def moderator(db: Any) -> User:
    return make_user("mod@example.com", "Desk Moderator", group="Moderators")


@pytest.fixture
def second_moderator(db: Any) -> User:
    return make_user("mod2@example.com", "Night Moderator", group="Moderators")


@pytest.fixture
def editor(db: Any) -> User:
    return make_user("ed@example.com", "Mara Lindqvist", group="Editors")


@pytest.fixture
def default_lists(db: Any) -> None:
    install_defaults()


@pytest.fixture
def make_comment(story: Story, reader: User) -> Callable[..., Comment]:
    def make(
        text: str = "A fair point about the levy.",
        *,
        status: str = Comment.Status.PUBLISHED,
        author: User | None = None,
        on: Story | None = None,
        **fields: Any,
    ) -> Comment:
        target = on or story
        comment = Comment.objects.create(
            story=target,
            author=author or reader,
            body=text,
            body_html=f"<p>{text}</p>",
            status=status,
            **fields,
        )
        if status == Comment.Status.PUBLISHED:
            Story.objects.filter(pk=target.pk).update(
                comment_count=target.comments.filter(status=Comment.Status.PUBLISHED).count()
            )
        return comment

    return make


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def moderator_client(moderator: User) -> Client:
    return signed_in(moderator)


@pytest.fixture
def reader_client(reader: User) -> Client:
    return signed_in(reader)
