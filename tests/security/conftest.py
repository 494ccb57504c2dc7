"""The demo site with one of everything a URL can name, and a client for each role."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone

from broadsheet.accounts.models import User
from broadsheet.appeals import notices
from broadsheet.appeals import services as appeal_services
from broadsheet.appeals.models import Statement
from broadsheet.comments import services as comment_services
from broadsheet.comments.models import Comment
from broadsheet.moderation import services as moderation_services
from broadsheet.moderation.models import Report, Sanction, Term
from broadsheet.notifications.models import Notification
from broadsheet.stories.models import Section, Story, Topic
from broadsheet.subscriptions.models import Plan, Subscription

# The demo sign-ins (README), in the order the tables' columns list them.
ROLES = ["visitor", "free", "digital", "noname", "member", "moderator", "editor"]
STORY = "city-council-approves-night-bus-network"


@pytest.fixture(autouse=True)
def _no_rate_limits(settings: Any) -> None:
    settings.COMMENT_RATE_LIMIT_SECONDS = 0
    settings.COMMENT_BURST_PER_HOUR = 0


@dataclass
class World:
    """The demo data and the objects the URLs' parameters name."""

    users: dict[str, User]
    story: Story
    comment: Comment  # the member's published comment
    sanction: Sanction  # a warning for the free reader
    report: Report  # the free reader's report on the member's comment
    values: dict[str, object] = field(default_factory=dict)

    def client(self, role: str) -> Client:
        client = Client()
        if role != "visitor":
            client.force_login(self.users[role])
        return client


def _admin_object(model_path: str) -> object:
    """The first object of the admin's model `app/model`, or 0 when there is none."""
    app_label, model = model_path.split("/")
    kind = ContentType.objects.filter(app_label=app_label, model=model).first()
    found = kind.model_class()._default_manager.order_by("pk").first() if kind else None  # type: ignore[union-attr]
    return found.pk if found else 0


def path_values(world: World, path: str) -> dict[str, object]:
    """Values for a URL's parameters, from the demo data: what a reader would follow."""
    values = dict(world.values)
    if path.startswith("/admin/") and "{object_id}" in path:
        app_and_model = "/".join(path.split("/")[2:4])
        if "{content_type_id}" not in path:
            values["object_id"] = _admin_object(app_and_model)
    if path.startswith("/plans/"):
        values["slug"] = "digital-plus"
    elif path.startswith(("/section/", "/feeds/section/")):
        values["slug"] = Section.objects.order_by("pk").values_list("slug", flat=True).first()
    elif path.startswith("/topic/"):
        values["slug"] = Topic.objects.order_by("pk").values_list("slug", flat=True).first()
    elif path.startswith("/desk/queue/"):
        values["slug"] = "pending"
    if path.startswith("/media/"):
        values["path"] = "stories/no-such-image.jpg"
    if path.startswith("/jsi18n/"):
        values["language"] = "ja"
    if path.startswith("/admin/stories/story/"):
        values["pk"] = world.story.pk
    return values


@pytest.fixture
def world(demo: dict[str, Any]) -> World:
    users = {email.split("@")[0]: user for email, user in demo["users"].items()}
    story = Story.objects.get(slug=STORY)
    comment = comment_services.post_comment(users["member"], story, "Buses at night, at last.")
    sanction = moderation_services.sanction(
        users["moderator"], users["free"].pk, "warning", reason="Keep it civil."
    )
    report = moderation_services.report(users["free"], comment.pk, "off_topic")
    blocked = moderation_services.block_domain(users["moderator"], "cheap-pills.example")
    comment_services.reply_to(users["editor"], comment.pk, "Agreed, and about time.")
    notification = Notification.objects.filter(recipient=users["member"]).order_by("pk").first()
    # A rejected comment of the member's, its statement of reasons, their appeal and a notice.
    removed = comment_services.post_comment(users["member"], story, "A comment to remove.")
    moderation_services.decide(
        users["moderator"], removed.pk, "reject",
        seen=moderation_services.Seen(removed.revision, removed.status), reason="Off-topic",
    )  # fmt: skip
    statement = Statement.objects.get(comment=removed)
    appeal = appeal_services.appeal(users["member"], statement.pk, "It was on topic.")
    notice = notices.submit(
        notices.NoticeIn("Ada", "ada@example.org", str(comment.pk), "Defamation", "Untrue.", True),
        address="192.0.2.1",
    )
    subscription = Subscription.objects.get(
        reader=users["member"], status__in=Subscription.CURRENT_STATUSES
    )
    world = World(users, story, comment, sanction, report)
    world.values = {
        "slug": story.slug,
        "story_id": story.pk,
        "comment_id": comment.pk,
        "pk": users["editor"].pk,  # a story author's page
        "reader_id": users["member"].pk,
        "sanction_id": sanction.pk,
        "domain_id": blocked.pk,
        "notification_id": notification.pk if notification else 0,
        "term_id": Term.objects.order_by("pk").values_list("pk", flat=True).first(),
        "subscription_id": subscription.pk,
        "statement_id": statement.pk,
        "appeal_id": appeal.pk,
        "notice_id": notice.pk,
        "token": "not-a-real-token",
        "uidb64": "MQ",
        "section": "stories",
        "queue": "pending",
        "content_type_id": ContentType.objects.get_for_model(Story).pk,
        "object_id": story.pk,
        "app_label": "stories",
        "url": "no-such-page/",
    }
    return world


@pytest.fixture
def make_reader(db: Any) -> Callable[..., User]:
    """A second reader who may comment: a display name and a commenting plan."""

    def make(name: str, *, subscribed: bool = True) -> User:
        from broadsheet.accounts.display_names import display_name_glyph_key, display_name_key

        user = User.objects.create_user(f"{name.lower()}@example.com", "a long pass phrase 1")
        user.display_name = name
        user.display_name_key = display_name_key(name)
        user.display_name_glyph_key = display_name_glyph_key(name)
        user.email_verified_at = timezone.now()
        user.save()
        if not subscribed:
            return user
        now = timezone.now()
        Subscription.objects.create(
            reader=user,
            plan=Plan.objects.get(slug="digital-plus"),
            status=Subscription.Status.ACTIVE,
            started_at=now,
            current_period_start=now,
            current_period_end=now + timedelta(days=30),
        )
        return user

    return make
