"""Two moderators deciding the same comment at the same moment: one decision applies."""

import threading
from collections.abc import Callable

import pytest
from django.db import connection

from broadsheet.accounts.models import User
from broadsheet.comments.models import Comment
from broadsheet.core.exceptions import ServiceError
from broadsheet.core.models import AuditEntry
from broadsheet.moderation import services
from broadsheet.stories.models import Story

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_simultaneous_decisions_apply_once(
    moderator: User,
    second_moderator: User,
    make_comment: Callable[..., Comment],
    story: Story,
) -> None:
    held = make_comment("Both look at me.", status=Comment.Status.PENDING)
    seen = services.Seen(revision=1, status="pending")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def act(who: User, action: str, reason: str) -> None:
        try:
            barrier.wait()
            services.decide(who, held.pk, action, seen=seen, reason=reason)
            outcomes.append("applied")
        except ServiceError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=act, args=(moderator, "approve", "")),
        threading.Thread(target=act, args=(second_moderator, "reject", "Off-topic")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["already_handled", "applied"]
    held.refresh_from_db()
    assert AuditEntry.objects.filter(target_id=str(held.pk)).count() == 1
    story.refresh_from_db()
    assert story.comment_count == (1 if held.status == Comment.Status.PUBLISHED else 0)
