"""An edit that lets a held comment through notifies as an approval would, once."""

from collections.abc import Callable
from typing import Any

import pytest

from broadsheet.accounts.models import User
from broadsheet.comments import services as comments
from broadsheet.comments.models import Comment
from broadsheet.moderation import services as moderation
from broadsheet.notifications.models import Notification
from broadsheet.stories.models import Story
from tests.notifications.conftest import Mailbox, text_part

pytestmark = pytest.mark.django_db


def test_a_held_reply_edited_into_shape_notifies_once_it_is_published(
    mailbox: Mailbox,
    post: Callable[..., Comment],
    committed: Callable[..., Any],
    story: Story,
    users: dict[str, User],
) -> None:
    moderation.add_term(users["moderator"], "sprocketwash", "suspect")
    mine = post(users["member"], story, "Night buses at last.")
    held = post(users["editor"], story, "A sprocketwash remark.", to=mine)
    assert held.status == Comment.Status.PENDING
    assert not Notification.objects.exists()

    edited = committed(comments.edit_comment, users["editor"], held.pk, "A fair remark.")
    assert edited.status == Comment.Status.PUBLISHED
    committed(comments.edit_comment, users["editor"], held.pk, "A fairer remark.")
    assert Notification.objects.filter(recipient=users["member"]).count() == 1
    [message] = mailbox.to("member@example.com")
    assert "A fair remark." in text_part(message)
