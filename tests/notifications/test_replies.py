"""Reply, featured and followed-discussion notifications: who hears, once, and by e-mail."""

import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from broadsheet.accounts.models import User
from broadsheet.comments import services as comments
from broadsheet.comments.models import Comment
from broadsheet.live import broker
from broadsheet.moderation import services as moderation
from broadsheet.notifications import activity, mail, services
from broadsheet.notifications.models import Delivery, Follow, Mute, Notification, Preferences
from broadsheet.stories.models import Story
from tests.notifications.conftest import Mailbox, html_part, text_part

pytestmark = pytest.mark.django_db

MEMBER = "member@example.com"
EDITOR = "editor@example.com"
Post = Callable[..., Comment]


def seen(comment: Comment) -> moderation.Seen:
    comment.refresh_from_db()
    return moderation.Seen(comment.revision, comment.status)


def test_a_reply_is_emailed_to_the_author_of_the_comment_it_answers(
    mailbox: Mailbox, post: Post, story: Story, users: dict[str, User]
) -> None:
    mine = post(users["member"], story, "Night buses at last.")
    post(users["editor"], story, "They start in *March*.", to=mine)

    [message] = mailbox.to(MEMBER)
    assert message["Subject"] == "Mara Lindqvist replied to your comment"
    assert "They start in *March*." in text_part(message)
    assert "<em>March</em>" in html_part(message)
    reply = Comment.objects.get(parent=mine)
    assert f"https://news.example.com/comments/{reply.pk}/" in text_part(message)
    # RFC 8058 one-click unsubscribe, by a signed link that works signed out.
    unsubscribe = re.fullmatch(
        r"<(https://news\.example\.com/notifications/unsubscribe/[^/]+/)>",
        str(message["List-Unsubscribe"]),
    )
    assert unsubscribe is not None
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe.group(1) in text_part(message)
    assert unsubscribe.group(1) in html_part(message)
    assert mailbox.to(EDITOR) == []  # the replier hears nothing of their own reply
    notification = Notification.objects.get(recipient=users["member"])
    assert notification.kind == Notification.Kind.REPLY
    assert notification.actor == users["editor"]


def test_replying_to_ones_own_comment_notifies_nobody(
    mailbox: Mailbox, post: Post, story: Story, users: dict[str, User]
) -> None:
    mine = post(users["member"], story, "First thought.")
    post(users["member"], story, "Second thought.", to=mine)
    assert mailbox.messages == []
    assert not Notification.objects.exists()


def test_a_held_reply_notifies_only_when_a_moderator_publishes_it_and_only_once(
    mailbox: Mailbox,
    post: Post,
    committed: Callable[..., Any],
    story: Story,
    users: dict[str, User],
) -> None:
    mine = post(users["member"], story, "Night buses at last.")
    Story.objects.filter(pk=story.pk).update(comment_mode=Story.CommentMode.PREMODERATED)
    reply = post(users["editor"], story, "Held for review.", to=mine)
    assert reply.status == Comment.Status.PENDING
    assert mailbox.messages == []
    assert not Notification.objects.exists()

    moderator = users["moderator"]
    committed(moderation.decide, moderator, reply.pk, "approve", seen=seen(reply))
    assert len(mailbox.to(MEMBER)) == 1
    # Held again (say, after reports) and approved again: still one e-mail, one notification.
    committed(comments.set_status, reply, Comment.Status.PENDING)
    committed(moderation.decide, moderator, reply.pk, "approve", seen=seen(reply))
    assert len(mailbox.to(MEMBER)) == 1
    assert Notification.objects.filter(recipient=users["member"]).count() == 1


def test_a_rejected_reply_notifies_nobody(
    mailbox: Mailbox,
    post: Post,
    committed: Callable[..., Any],
    story: Story,
    users: dict[str, User],
) -> None:
    mine = post(users["member"], story, "Night buses at last.")
    Story.objects.filter(pk=story.pk).update(comment_mode=Story.CommentMode.PREMODERATED)
    reply = post(users["editor"], story, "Held for review.", to=mine)
    committed(
        moderation.decide, users["moderator"], reply.pk, "reject", seen=seen(reply), reason="Off"
    )
    # Only the reply's author hears of it: the statement of reasons for the rejection.
    assert [m["To"] for m in mailbox.messages] == [users["editor"].email]
    assert "moderation decision" in str(mailbox.messages[0]["Subject"])
    assert not Notification.objects.exists()


def test_a_reply_deleted_before_its_email_goes_is_not_sent(
    mailbox: Mailbox,
    post: Post,
    story: Story,
    users: dict[str, User],
    django_capture_on_commit_callbacks: Any,
) -> None:
    mine = post(users["member"], story, "Night buses at last.")
    with django_capture_on_commit_callbacks(execute=False):
        reply = comments.reply_to(users["editor"], mine.pk, "Regretted at once.")
        activity.notify_comment(reply.pk)  # the fan-out ran; its e-mail is still queued
    comments.delete_comment(users["editor"], reply.pk)
    delivery = Delivery.objects.get(recipient=users["member"])
    assert mail.send(delivery.pk) == "skipped"
    assert mailbox.messages == []


def test_a_muted_reader_never_causes_a_notification(
    mailbox: Mailbox, post: Post, story: Story, users: dict[str, User]
) -> None:
    mine = post(users["member"], story, "Night buses at last.")
    Mute.objects.create(muter=users["member"], muted=users["editor"])
    post(users["editor"], story, "You again.", to=mine)
    assert mailbox.messages == []
    assert not Notification.objects.exists()


def test_a_failed_smtp_delivery_is_retried_and_sent_exactly_once(
    mailbox: Mailbox, post: Post, story: Story, users: dict[str, User]
) -> None:
    mine = post(users["member"], story, "Night buses at last.")
    mailbox.refuse_next = 1
    reply = post(users["editor"], story, "They start in March.", to=mine)
    delivery = Delivery.objects.get(recipient=users["member"])
    assert delivery.status == Delivery.Status.FAILED
    assert "451" in delivery.last_error
    assert mailbox.messages == []

    assert mail.retry_due() == 0  # not due yet
    later = timezone.now() + timedelta(minutes=2)
    assert mail.retry_due(later) == 1
    assert len(mailbox.to(MEMBER)) == 1
    # The task runs again (a worker retried it), and the fan-out too: nothing more goes out.
    assert mail.send(delivery.pk, now=later) == ""
    assert mail.retry_due(later + timedelta(days=1)) == 0
    assert activity.notify_comment(reply.pk) == 0
    assert len(mailbox.to(MEMBER)) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (Delivery.Status.SENT, 2)


def test_featuring_a_comment_tells_its_author_once_but_featuring_ones_own_tells_no_one(
    mailbox: Mailbox,
    post: Post,
    committed: Callable[..., Any],
    story: Story,
    users: dict[str, User],
) -> None:
    moderator = users["moderator"]
    mine = post(users["member"], story, "A thoughtful comment.")
    committed(moderation.decide, moderator, mine.pk, "feature", seen=seen(mine))
    committed(moderation.decide, moderator, mine.pk, "unfeature", seen=seen(mine))
    committed(moderation.decide, moderator, mine.pk, "feature", seen=seen(mine))
    [message] = mailbox.to(MEMBER)
    assert message["Subject"] == "Your comment is an editors' pick"

    own = post(moderator, story, "The desk's own view.")
    committed(moderation.decide, moderator, own.pk, "feature", seen=seen(own))
    assert mailbox.to("moderator@example.com") == []
    assert not Notification.objects.filter(recipient=moderator).exists()


def test_readers_follow_the_threads_they_comment_in_and_can_stop(
    mailbox: Mailbox,
    post: Post,
    committed: Callable[..., Any],
    story: Story,
    users: dict[str, User],
) -> None:
    member, editor, moderator = users["member"], users["editor"], users["moderator"]
    Preferences.objects.create(reader=member, followed="immediate")
    top = post(member, story, "Night buses at last.")
    reply = post(editor, story, "They start in March.", to=top)
    post(moderator, story, "And run until 5am.", to=reply)
    told = sorted(Notification.objects.values_list("recipient__email", "kind"))
    # The member follows the thread they started; the editor is answered directly.
    assert told == [(EDITOR, "reply"), (MEMBER, "reply"), (MEMBER, "thread")]
    assert [m["Subject"] for m in mailbox.to(MEMBER)] == [
        "Mara Lindqvist replied to your comment",
        f"New reply in a thread you follow: {story.headline}",
    ]

    services.follow_thread(member, top.pk, following=False)
    post(moderator, story, "One more thing.", to=reply)
    assert Notification.objects.filter(recipient=member).count() == 2
    # Commenting in it again does not follow it again: the reader chose.
    post(member, story, "Thanks.", to=reply)
    assert not Follow.objects.get(reader=member, thread=top).following


def test_automatic_following_can_be_turned_off(
    post: Post, story: Story, users: dict[str, User]
) -> None:
    Preferences.objects.create(reader=users["member"], follow_own_threads=False)
    post(users["member"], story, "No follow, please.")
    assert not Follow.objects.filter(reader=users["member"]).exists()


def test_following_a_story_and_the_daily_digest_sent_once_a_day(
    mailbox: Mailbox,
    post: Post,
    committed: Callable[..., Any],
    client_for: Callable[[str], Client],
    story: Story,
    users: dict[str, User],
) -> None:
    free = client_for("free")
    response = free.post(f"/notifications/follow/story/{story.pk}/", {"following": "1"})
    assert response.status_code == 302
    assert "Following this discussion" in free.get(story.get_absolute_url()).content.decode()
    post(users["member"], story, "Night buses at last.")
    post(users["editor"], story, "The timetable is out.")
    # Followed discussions come in the daily digest by default, not one e-mail each.
    assert mailbox.to("free@example.com") == []
    assert Notification.objects.filter(recipient=users["free"], kind="story").count() == 2

    from django.core.management import call_command

    committed(call_command, "send_digests")
    committed(call_command, "send_digests")
    [digest] = mailbox.to("free@example.com")
    assert digest["Subject"] == "Your daily digest: 2 new comments"
    assert "Night buses at last." in text_part(digest)
    assert "The timetable is out." in html_part(digest)
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    post(users["member"], story, "Tomorrow's news.")
    committed(call_command, "send_digests")  # the same day: tomorrow's digest will carry it
    assert len(mailbox.to("free@example.com")) == 1
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    committed(call_command, "send_digests", date=tomorrow)
    assert len(mailbox.to("free@example.com")) == 2


def test_a_notification_is_published_to_the_readers_live_channel_with_the_count(
    post: Post, story: Story, users: dict[str, User]
) -> None:
    heard: list[tuple[str, dict[str, Any]]] = []
    broker.listen(lambda channel, event: heard.append((channel, event)))
    try:
        mine = post(users["member"], story, "Night buses at last.")
        post(users["editor"], story, "They start in March.", to=mine)
    finally:
        broker._listeners.pop()
    mine_events = [e for c, e in heard if c == f"user:{users['member'].pk}"]
    notification = Notification.objects.get(recipient=users["member"])
    assert mine_events == [{"event": "notification.created", "id": notification.pk, "unread": 1}]


def test_the_masthead_counts_unread_notifications_and_the_list_marks_them_read(
    post: Post, client_for: Callable[[str], Client], story: Story, users: dict[str, User]
) -> None:
    mine = post(users["member"], story, "Night buses at last.")
    post(users["editor"], story, "They start in March.", to=mine)
    member = client_for("member")
    page = member.get("/").content.decode()
    assert 'aria-label="1 unread">1</span>' in page
    inbox = member.get("/notifications/").content.decode()
    assert "replied to your comment" in inbox
    notification = Notification.objects.get(recipient=users["member"])
    opened = member.get(f"/notifications/{notification.pk}/")
    assert opened["Location"] == f"/comments/{notification.comment_id}/"
    assert "unread" not in member.get("/").content.decode().split("</header>")[0]
    # Someone else's notification is not found.
    assert client_for("editor").get(f"/notifications/{notification.pk}/").status_code == 404
