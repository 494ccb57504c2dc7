"""The transparency page's counts are those of the audit log and the comments."""

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from broadsheet.accounts.models import User
from broadsheet.appeals import services as appeals
from broadsheet.appeals.models import Statement
from broadsheet.comments.models import Comment
from broadsheet.core.models import AuditEntry
from broadsheet.moderation import services as moderation

pytestmark = pytest.mark.django_db


def counts(html: str, month: str) -> dict[str, int]:
    section = html.split(f'id="month-{month}"', 1)[1].split("</section>", 1)[0]
    return {k: int(v) for k, v in re.findall(r'data-count="(\w+)">(\d+)<', section)}


def test_the_counts_match_the_audit_log(
    make_comment: Callable[..., Comment],
    moderator: User,
    second_moderator: User,
    reader: User,
    another_reader: User,
) -> None:
    published = [make_comment(f"Fine comment {n}") for n in range(3)]
    make_comment("Held", status=Comment.Status.PENDING, hold_reasons=["suspect words: x"])
    seen = moderation.Seen(1, "published")
    moderation.decide(moderator, published[0].pk, "reject", seen=seen, reason="Off-topic")
    moderation.decide(moderator, published[1].pk, "reject", seen=seen, reason="Spam or advertising")
    moderation.sanction(moderator, another_reader.pk, "suspension", reason="Abuse",
                        duration=timedelta(days=1))  # fmt: skip
    moderation.sanction(moderator, reader.pk, "premoderation", reason="Spam")
    first = Statement.objects.get(comment=published[0])
    appeal = appeals.appeal(reader, first.pk, "It was on topic.")
    appeals.handle(second_moderator, appeal.pk, "reverse", response="It was.")
    second = Statement.objects.get(comment=published[1])
    appeals.handle(
        second_moderator,
        appeals.appeal(reader, second.pk, "Not spam.").pk,
        "uphold",
        response="It was.",
    )
    # An old entry, out of this month.
    old = AuditEntry.objects.create(action="moderation:sanction:ban", target_type="x",
                                    target_id="1")  # fmt: skip
    AuditEntry.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=40))

    page = Client().get("/transparency/").content.decode()
    month = timezone.localdate().strftime("%Y-%m")
    shown = counts(page, month)
    log = AuditEntry.objects.filter(created_at__gte=timezone.now() - timedelta(days=1))

    def logged(action: str) -> int:
        return log.filter(action=action).count()

    assert shown["removed_human"] == logged("moderation:comment:rejected") == 2
    assert shown["restored"] == logged("moderation:comment:restored") == 1
    assert shown["suspension"] == logged("moderation:sanction:suspension") == 1
    assert shown["premoderation"] == logged("moderation:sanction:premoderation") == 1
    assert shown["ban"] == 0
    assert shown["appeals"] == logged("appeals:appeal:submitted") == 2
    assert shown["upheld"] == logged("appeals:appeal:upheld") == 1
    assert shown["reversed"] == logged("appeals:appeal:reversed") == 1
    assert shown["published"] == Comment.objects.filter(status="published").count() == 2
    assert shown["held"] == 1
    assert "removed for off-topic" in page
    assert "removed for spam or advertising" in page


def test_an_automatic_refusal_is_counted_as_automatic(demo: dict[str, Any], settings: Any) -> None:
    from broadsheet.comments import services as comment_services
    from broadsheet.core.exceptions import ServiceError
    from broadsheet.stories.models import Story

    settings.COMMENT_RATE_LIMIT_SECONDS = 0
    member = demo["users"]["member@example.com"]
    moderation.add_term(
        User.objects.get(email="moderator@example.com"), "grotbag", "banned", category="insult"
    )
    story = Story.objects.filter(status=Story.Status.PUBLISHED).order_by("pk").first()
    assert story is not None
    with pytest.raises(ServiceError):
        comment_services.post_comment(member, story, "You grotbag.")
    page = Client().get("/transparency/").content.decode()
    month = timezone.localdate().strftime("%Y-%m")
    refused = AuditEntry.objects.get(action="moderation:comment:refused")
    assert refused.actor is None
    assert refused.details["ground"] == "personal_attack"
    assert counts(page, month)["removed_automatic"] == 1
    assert "removed for a personal attack" in page
