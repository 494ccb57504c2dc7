"""A reader with one of every kind of record, and a neighbour whose data must stay theirs."""

import re
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from django.apps import apps
from django.core import mail
from django.db import models
from django.test import Client
from django.utils import timezone

from broadsheet.accounts.models import User
from broadsheet.accounts.services import set_display_name
from broadsheet.appeals import notices
from broadsheet.appeals.notices import NoticeIn
from broadsheet.comments import services as comments
from broadsheet.comments.models import Comment
from broadsheet.moderation import services as moderation
from broadsheet.notifications import services as notifications
from broadsheet.stories.models import Story
from broadsheet.subscriptions import services as subscriptions
from broadsheet.subscriptions.models import Plan
from broadsheet.subscriptions.renewals import renew_due

PASSWORD = "Marmalade-Skies-42"
BACKEND = "django.contrib.auth.backends.ModelBackend"
OK_CARD = {"number": "4242 4242 4242 4242", "exp": "12/30", "cvc": "123"}
STORY = "city-council-approves-night-bus-network"

LEAVER_EMAIL = "quillon.leaver@example.com"
LEAVER_NAME = "Quillon Vantablack"
LEAVER_REAL_NAME = "Quillon Realname"
OTHER_EMAIL = "orsolya.private@example.com"
OTHER_NAME = "Orsolya Neighbour"
OTHER_REAL_NAME = "Orsolya Secretname"


@dataclass
class World:
    leaver: User
    other: User
    story: Story
    thread_start: Comment  # the leaver's comment that the other reader answered
    others_reply: Comment
    leaver_reply: Comment  # the leaver's answer to the other reader
    rejected: Comment
    others_comment: Comment


@pytest.fixture(autouse=True)
def _no_rate_limits(settings: Any, tmp_path: Any) -> None:
    settings.COMMENT_RATE_LIMIT_SECONDS = 0
    settings.COMMENT_BURST_PER_HOUR = 0
    settings.DATA_EXPORT_DIR = tmp_path / "exports"


def make_reader(email: str, name: str, real_name: str) -> User:
    user = User.objects.create_user(email, PASSWORD, full_name=real_name)
    user.email_verified_at = timezone.now()
    user.save(update_fields=["email_verified_at"])
    set_display_name(user, name)
    return user


def client_of(user: User) -> Client:
    client = Client()
    client.force_login(user, backend=BACKEND)
    return client


@pytest.fixture
def world(demo: dict[str, Any], django_capture_on_commit_callbacks: Any) -> World:
    """Built through the services, as readers build it on the site."""
    now = timezone.now()
    plus = Plan.objects.get(slug="digital-plus")
    with django_capture_on_commit_callbacks(execute=True):
        leaver = make_reader(LEAVER_EMAIL, LEAVER_NAME, LEAVER_REAL_NAME)
        other = make_reader(OTHER_EMAIL, OTHER_NAME, OTHER_REAL_NAME)
        # A trial that converted to paid: a subscription with its history and a payment.
        subscriptions.subscribe(
            leaver,
            plan=plus.slug,
            card=OK_CARD,
            idempotency_key=uuid.uuid4().hex,
            now=now - timedelta(days=20),
        )
        renew_due(now)
        subscriptions.grant_plan(other, plus, source="test")
        story = Story.objects.get(slug=STORY)
        start = comments.post_comment(leaver, story, "Quillon thinks the night buses are late.")
        others_reply = comments.reply_to(other, start.pk, "Orsolya replies: they run on time.")
        leaver_reply = comments.reply_to(leaver, others_reply.pk, "Quillon answers Orsolya back.")
        rejected = comments.post_comment(leaver, story, "Quillon goes off on a tangent.")
        comments.set_status(rejected, Comment.Status.REJECTED, reason="Off topic, sorry.")
        others_comment = comments.post_comment(other, story, "Orsolya's own view of the buses.")
        comments.toggle_recommend(leaver, others_comment.pk)
        moderation.report(leaver, others_comment.pk, "spam", "Quillon thinks this is an advert.")
    # Muting comes after the notifications went out: a muted reader's replies notify no one.
    with django_capture_on_commit_callbacks(execute=True):
        notifications.mute_author_of(leaver, others_comment.pk)
        notifications.follow_story(leaver, story.pk, True)
        notifications.update_preferences(leaver, replies="digest")
        # A notice of illegal content sent from the leaver's address (typed in capitals).
        notices.submit(
            NoticeIn(
                name=LEAVER_NAME,
                email=LEAVER_EMAIL.upper(),
                comment=str(others_comment.pk),
                law="Defamation Act 2013",
                explanation="This comment defames a neighbour of mine.",
                good_faith=True,
            ),
            address="127.0.0.1",
            sender=leaver,
        )
    mail.outbox.clear()
    return World(
        leaver=User.objects.get(pk=leaver.pk),
        other=other,
        story=story,
        thread_start=start,
        others_reply=others_reply,
        leaver_reply=leaver_reply,
        rejected=rejected,
        others_comment=others_comment,
    )


def link_in(message: Any, path_start: str) -> str:
    """The path of the first link in an e-mail that starts with `path_start`."""
    found = re.search(r"https?://[^/\s]+(" + re.escape(path_start) + r"\S+)", message.body)
    assert found, f"no {path_start} link in: {message.body}"
    return found.group(1)


def rows_mentioning(needle: str) -> list[str]:
    """Every database row, in every table, with `needle` in one of its text columns."""
    found = []
    for model in apps.get_models():
        text_fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        for name in text_fields:
            for row in model._base_manager.filter(**{f"{name}__icontains": needle}):
                found.append(f"{model._meta.label}#{row.pk}.{name}")
    return found
