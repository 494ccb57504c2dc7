"""Many readers posting at once: every acknowledged comment is stored and the counts are exact."""

import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connection, connections
from django.test import Client

from broadsheet.accounts.models import User
from broadsheet.comments import services
from broadsheet.comments.models import Comment
from broadsheet.stories.models import Story

pytestmark = pytest.mark.django_db(transaction=True)

WRITERS = ["member", "editor", "moderator"]
PER_WRITER = 8


def in_thread(work: Callable[[], Any]) -> Callable[[], Any]:
    def run() -> Any:
        try:
            return work()
        finally:
            connections.close_all()

    return run


def post_many(story: Story, users: dict[str, User], parent: Comment) -> None:
    def post(name: str, n: int) -> Callable[[], Any]:
        def send() -> Any:
            client = Client()
            client.force_login(users[name])
            if n % 2:
                return client.post(
                    f"/api/comments/{parent.pk}/replies",
                    json.dumps({"text": f"{name} reply {n}"}),
                    content_type="application/json",
                )
            return client.post(
                f"/api/comments/stories/{story.slug}/comments",
                json.dumps({"text": f"{name} says {n}"}),
                content_type="application/json",
            )

        return in_thread(send)

    def recommend(name: str) -> Callable[[], Any]:
        def send() -> Any:
            client = Client()
            client.force_login(users[name])
            return client.post(f"/api/comments/{parent.pk}/recommend")

        return in_thread(send)

    earlier = [services.reply_to(users["editor"], parent.pk, f"earlier {n}") for n in range(2)]

    def moderate(reply: Comment) -> Callable[[], Any]:
        def change() -> None:
            services.set_status(reply, Comment.Status.REJECTED, by=users["moderator"])
            services.set_featured(parent, True)
            services.set_status(reply, Comment.Status.PUBLISHED, by=users["moderator"])

        return in_thread(change)

    before = Story.objects.get(pk=story.pk).comment_count
    jobs = [post(name, n) for name in WRITERS for n in range(PER_WRITER)]
    jobs += [recommend(name) for name in ["editor", "moderator", "free", "digital", "noname"]]
    jobs += [moderate(reply) for reply in earlier]
    with ThreadPoolExecutor(max_workers=12) as pool:
        responses = list(pool.map(lambda job: job(), jobs))

    acknowledged = [r.json()["id"] for r in responses if r is not None and r.status_code == 201]
    assert len(acknowledged) == len(WRITERS) * PER_WRITER, [r.content for r in responses]
    assert all(r.status_code == 200 for r in responses[len(WRITERS) * PER_WRITER : -2])
    stored = set(Comment.objects.filter(pk__in=acknowledged).values_list("pk", flat=True))
    assert stored == set(acknowledged)

    story.refresh_from_db()
    parent.refresh_from_db()
    assert story.comment_count == before + len(acknowledged)
    assert story.comment_count == Comment.objects.filter(story=story, status="published").count()
    assert parent.reply_count == Comment.objects.filter(parent=parent).count() == 14
    assert parent.recommend_count == parent.reactions.count() == 5


def double_clicks(story: Story, member: User) -> None:
    def send() -> Any:
        client = Client()
        client.force_login(member)
        return client.post(
            f"/comments/story/{story.pk}/", {"text": "Clicked twice", "token": "one-form"}
        )

    with ThreadPoolExecutor(max_workers=4) as pool:
        responses = list(pool.map(lambda job: job(), [in_thread(send)] * 4))
    assert {r.status_code for r in responses} == {302}
    assert len({r["Location"] for r in responses}) == 1
    assert Comment.objects.filter(body="Clicked twice").count() == 1


@pytest.fixture
def parent(story: Story, users: dict[str, User]) -> Comment:
    return services.post_comment(users["member"], story, "The thread everyone answers")


def test_concurrent_posting(story: Story, users: dict[str, User], parent: Comment) -> None:
    post_many(story, users, parent)


def test_a_form_sent_four_times_at_once_stores_one_comment(
    story: Story, users: dict[str, User]
) -> None:
    double_clicks(story, users["member"])


@pytest.mark.postgres
def test_concurrent_posting_on_postgres(
    story: Story, users: dict[str, User], parent: Comment
) -> None:
    assert connection.vendor == "postgresql"
    post_many(story, users, parent)
    double_clicks(story, users["member"])
