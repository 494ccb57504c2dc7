"""Notification e-mail speaks the language the reader chose, whoever caused it."""

from collections.abc import Callable

import pytest

from broadsheet.accounts.models import User
from broadsheet.comments.models import Comment
from broadsheet.stories.models import Story
from tests.notifications.conftest import Mailbox, text_part

pytestmark = pytest.mark.django_db
Post = Callable[..., Comment]


def test_a_reply_is_emailed_in_the_language_the_reader_chose(
    mailbox: Mailbox, post: Post, story: Story, users: dict[str, User]
) -> None:
    member = users["member"]
    member.language = "ja"
    member.save(update_fields=["language"])
    mine = post(member, story, "Night buses at last.")
    post(users["editor"], story, "They start in March.", to=mine)  # an English request

    [message] = mailbox.to("member@example.com")
    assert message["Subject"] == "Mara Lindqvistさんがあなたのコメントに返信しました"
    body = text_part(message)
    assert "読んで返信する: https://news.example.com/comments/" in body
    assert "このメールの配信停止: https://news.example.com/notifications/unsubscribe/" in body


def test_a_reader_who_chose_no_language_gets_the_sites(
    mailbox: Mailbox, post: Post, story: Story, users: dict[str, User]
) -> None:
    mine = post(users["member"], story, "Night buses at last.")
    post(users["editor"], story, "They start in March.", to=mine)
    [message] = mailbox.to("member@example.com")
    assert message["Subject"] == "Mara Lindqvist replied to your comment"
