"""Recommending, editing and deleting comments, and the reader's own list."""

import json
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from broadsheet.accounts.models import User
from broadsheet.comments import services
from broadsheet.comments.models import Comment, Reaction
from broadsheet.core.models import AuditEntry
from broadsheet.moderation.pipeline import Outcome, Screening
from broadsheet.stories.models import Story
from tests.comments.conftest import make_banned

pytestmark = pytest.mark.django_db


@pytest.fixture
def comment(member: User, story: Story) -> Comment:
    return services.post_comment(member, story, "Worth a *recommendation*")


# --- recommending -----------------------------------------------------------------------


def test_recommend_toggles_one_per_reader(
    client_for: Callable[[str], Client], comment: Comment, story: Story
) -> None:
    editor = client_for("editor")
    response = editor.post(f"/comments/{comment.pk}/recommend/")
    assert response.status_code == 302
    assert response["Location"] == f"{story.get_absolute_url()}#comment-{comment.pk}"
    comment.refresh_from_db()
    assert comment.recommend_count == 1
    page = editor.get(story.get_absolute_url() + "?sort=newest").content.decode()
    assert 'aria-pressed="true">Recommended</button>' in page
    viewer = editor.get(f"/api/comments/stories/{story.slug}/thread?sort=newest").json()["viewer"]
    assert viewer == {"recommended": [comment.pk], "editable": [], "muted": []}
    mine = client_for("member").get(f"/api/comments/stories/{story.slug}/thread").json()
    assert comment.pk in mine["viewer"]["editable"]

    again = editor.post(f"/api/comments/{comment.pk}/recommend").json()
    assert again == {"comment_id": comment.pk, "recommended": False, "count": 0}
    assert (
        client_for("moderator").post(f"/api/comments/{comment.pk}/recommend").json()["count"] == 1
    )
    assert editor.post(f"/api/comments/{comment.pk}/recommend").json()["count"] == 2
    assert Reaction.objects.filter(comment=comment).count() == 2


def test_recommend_with_htmx_swaps_the_button(
    client_for: Callable[[str], Client], comment: Comment
) -> None:
    response = client_for("editor").post(
        f"/comments/{comment.pk}/recommend/", HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert html.lstrip().startswith(f'<span class="recommend" id="recommend-{comment.pk}">')
    assert 'aria-pressed="true">Recommended</button>' in html
    assert '<span class="recommend__count" aria-label="1 recommendation">1</span>' in html


def test_no_recommending_ones_own_comment(
    client_for: Callable[[str], Client], comment: Comment
) -> None:
    response = client_for("member").post(f"/api/comments/{comment.pk}/recommend")
    assert response.status_code == 403
    assert response.json()["code"] == "own_comment"
    page = client_for("member").post(f"/comments/{comment.pk}/recommend/", follow=True)
    assert "You cannot recommend your own comment." in page.content.decode()
    assert not Reaction.objects.exists()


def test_visitors_and_banned_readers_cannot_recommend(
    client_for: Callable[[str], Client], comment: Comment, users: dict[str, User]
) -> None:
    visitor = client_for("visitor").post(f"/api/comments/{comment.pk}/recommend")
    assert visitor.status_code == 401
    page = client_for("visitor").post(f"/comments/{comment.pk}/recommend/")
    assert page["Location"].startswith("/accounts/sign-in/?next=")
    make_banned(users["editor"])
    banned = client_for("editor").post(f"/api/comments/{comment.pk}/recommend")
    assert banned.status_code == 403
    assert banned.json()["code"] == "banned"
    assert client_for("editor").post("/api/comments/999999/recommend").status_code == 404
    assert not Reaction.objects.exists()


def test_free_readers_may_recommend(client_for: Callable[[str], Client], comment: Comment) -> None:
    assert client_for("free").post(f"/api/comments/{comment.pk}/recommend").json()["count"] == 1


# --- editing ----------------------------------------------------------------------------


def patch(client: Client, comment: Comment, text: str) -> Any:
    return client.patch(
        f"/api/comments/{comment.pk}", json.dumps({"text": text}), content_type="application/json"
    )


def test_edit_own_comment_is_marked_edited(
    client_for: Callable[[str], Client], comment: Comment, story: Story
) -> None:
    client = client_for("member")
    form = client.get(f"/comments/{comment.pk}/edit/")
    assert "Worth a *recommendation*" in form.content.decode()
    response = client.post(f"/comments/{comment.pk}/edit/", {"text": "Worth **two**"})
    assert response["Location"] == f"/comments/{comment.pk}/"
    comment.refresh_from_db()
    assert comment.body_html == "<p>Worth <strong>two</strong></p>"
    assert comment.revision == 2
    assert comment.edited_at is not None
    page = client.get(response["Location"], follow=True).content.decode()
    assert '<span class="comment__edited">edited</span>' in page
    assert patch(client, comment, "Worth three").json()["edited"] is True
    comment.refresh_from_db()
    assert comment.revision == 3
    edits = AuditEntry.objects.filter(action="comments:comment:edited", target_id=str(comment.pk))
    assert [e.details["previous_body"] for e in edits.order_by("pk")] == [
        "Worth a *recommendation*",
        "Worth **two**",
    ]


def test_an_edit_is_screened_again(
    client_for: Callable[[str], Client],
    comment: Comment,
    story: Story,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    count = Story.objects.get(pk=story.pk).comment_count
    seen: list[Any] = []

    def hold(**kwargs: Any) -> Screening:
        seen.append(kwargs["editing"])
        return Screening(Outcome.HOLD, reasons=["toxicity"], toxicity=0.9)

    monkeypatch.setattr(services, "screen", hold)
    answer = patch(client_for("member"), comment, "Now something nasty")
    assert answer.json()["status"] == "pending"
    assert seen == [comment]
    assert Story.objects.get(pk=story.pk).comment_count == count - 1

    monkeypatch.setattr(
        services, "screen", lambda **kw: Screening(Outcome.REFUSE, message="Not that.")
    )
    refused = patch(client_for("member"), comment, "Even worse")
    assert refused.status_code == 422
    assert refused.json() == {"detail": "Not that.", "code": "refused"}
    comment.refresh_from_db()
    assert comment.body == "Now something nasty"


def test_no_edit_after_the_window_or_of_others_comments(
    client_for: Callable[[str], Client], comment: Comment, story: Story, settings: Any
) -> None:
    other = patch(client_for("editor"), comment, "Hijacked")
    assert other.status_code == 403
    assert other.json()["code"] == "not_yours"
    assert (
        client_for("editor").post(f"/comments/{comment.pk}/edit/", {"text": "x"}).status_code == 404
    )
    assert patch(client_for("visitor"), comment, "x").status_code == 401

    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - timedelta(minutes=11))
    late = patch(client_for("member"), comment, "Too late")
    assert late.status_code == 403
    assert late.json()["code"] == "edit_window_closed"
    page = client_for("member").post(f"/comments/{comment.pk}/edit/", {"text": "Too late"})
    assert "Comments can be edited for 10 minutes after posting." in page.content.decode()
    assert "Too late" in page.content.decode()
    html = client_for("member").get(f"/comments/{comment.pk}/", follow=True).content.decode()
    assert f'href="/comments/{comment.pk}/edit/"' not in html

    settings.COMMENT_EDIT_WINDOW_MINUTES = 15
    assert patch(client_for("member"), comment, "In time after all").status_code == 200
    comment.refresh_from_db()
    assert comment.body == "In time after all"


def test_an_edit_with_bad_text_changes_nothing(
    client_for: Callable[[str], Client], comment: Comment
) -> None:
    for text in ["", "   ", "x" * 5001]:
        assert patch(client_for("member"), comment, text).status_code == 422
    comment.refresh_from_db()
    assert (comment.body, comment.revision, comment.edited_at) == (
        "Worth a *recommendation*",
        1,
        None,
    )


# --- deleting ---------------------------------------------------------------------------


def test_delete_a_comment_without_replies(
    client_for: Callable[[str], Client], comment: Comment, story: Story
) -> None:
    count = Story.objects.get(pk=story.pk).comment_count
    asks = client_for("member").get(f"/comments/{comment.pk}/delete/").content.decode()
    assert "Delete your comment?" in asks
    assert f'<form method="post" action="/comments/{comment.pk}/delete/"' in asks
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PUBLISHED  # asking deletes nothing
    response = client_for("member").post(f"/comments/{comment.pk}/delete/")
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.status == Comment.Status.DELETED
    assert comment.body == ""
    entry = AuditEntry.objects.get(action="comments:comment:deleted", target_id=str(comment.pk))
    assert entry.actor == comment.author
    assert Story.objects.get(pk=story.pk).comment_count == count - 1
    html = client_for("visitor").get(story.get_absolute_url() + "?sort=newest").content.decode()
    assert f'id="comment-{comment.pk}"' not in html
    assert "This comment was deleted" not in html


def test_a_deleted_comment_with_replies_stays_as_a_placeholder(
    client_for: Callable[[str], Client], comment: Comment, story: Story, users: dict[str, User]
) -> None:
    reply = services.reply_to(users["editor"], comment.pk, "A reply that stays")
    assert client_for("member").delete(f"/api/comments/{comment.pk}").status_code == 204
    html = client_for("visitor").get(story.get_absolute_url() + "?sort=newest").content.decode()
    assert "This comment was deleted." in html
    assert "Worth a" not in html
    assert "A reply that stays" in html
    assert f'id="comment-{reply.pk}"' in html


def test_only_the_author_deletes(client_for: Callable[[str], Client], comment: Comment) -> None:
    assert client_for("editor").delete(f"/api/comments/{comment.pk}").status_code == 403
    assert client_for("editor").post(f"/comments/{comment.pk}/delete/").status_code == 404
    assert client_for("editor").get(f"/comments/{comment.pk}/delete/").status_code == 404
    assert client_for("visitor").delete(f"/api/comments/{comment.pk}").status_code == 401
    comment.refresh_from_db()
    assert comment.status == Comment.Status.PUBLISHED
    client_for("member").delete(f"/api/comments/{comment.pk}")
    # Once deleted it is gone, for its author too.
    again = client_for("member").delete(f"/api/comments/{comment.pk}")
    assert again.status_code == 404
    assert again.json()["code"] == "not_found"


def test_delete_with_htmx_swaps_the_stream(
    client_for: Callable[[str], Client], comment: Comment
) -> None:
    response = client_for("member").post(f"/comments/{comment.pk}/delete/", HTTP_HX_REQUEST="true")
    assert response["HX-Retarget"] == "#comment-stream"
    assert f'id="comment-{comment.pk}"' not in response.content.decode()


# --- counts kept by moderation ----------------------------------------------------------


def test_moderation_status_changes_keep_counts_exact(
    comment: Comment, story: Story, users: dict[str, User]
) -> None:
    reply = services.reply_to(users["editor"], comment.pk, "reply")
    comment.refresh_from_db()
    count = Story.objects.get(pk=story.pk).comment_count
    assert comment.reply_count == 1
    services.set_status(reply, Comment.Status.REJECTED, by=users["moderator"], reason="rude")
    comment.refresh_from_db()
    assert comment.reply_count == 0
    assert Story.objects.get(pk=story.pk).comment_count == count - 1
    services.set_status(reply, Comment.Status.PUBLISHED, by=users["moderator"])
    comment.refresh_from_db()
    assert comment.reply_count == 1
    assert Story.objects.get(pk=story.pk).comment_count == count


# --- my comments ------------------------------------------------------------------------


def test_my_comments_lists_every_status_newest_first(
    client_for: Callable[[str], Client], story: Story, member: User, users: dict[str, User]
) -> None:
    Comment.objects.filter(author=member).delete()
    published = services.post_comment(member, story, "Published one")
    rejected = services.post_comment(member, story, "Rejected one")
    services.set_status(
        rejected, Comment.Status.REJECTED, by=users["moderator"], reason="Off topic."
    )
    story.comment_mode = Story.CommentMode.PREMODERATED
    story.save()
    services.post_comment(member, story, "Pending one")
    html = client_for("member").get("/accounts/comments/").content.decode()
    assert html.index("Pending one") < html.index("Rejected one") < html.index("Published one")
    assert "awaiting review" in html
    assert "A moderator rejected this comment: Off topic." in html
    assert f'href="/comments/{published.pk}/"' in html
    assert f'href="{story.get_absolute_url()}"' in html
    assert 'aria-current="page">My comments<' in html
    assert "Pending one" not in client_for("editor").get("/accounts/comments/").content.decode()
    assert client_for("visitor").get("/accounts/comments/").status_code == 302
