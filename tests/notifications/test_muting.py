"""Muting, seen from both sides, and the follow buttons in the stream."""

import re
from collections.abc import Callable

import pytest
from django.test import Client

from broadsheet.accounts.models import User
from broadsheet.comments.models import Comment
from broadsheet.notifications.models import Mute
from broadsheet.stories.models import Story

pytestmark = pytest.mark.django_db

NEWEST = "?sort=newest"
COLLAPSED = 'Comment from a muted reader — <span class="comment__show">show</span>'


def article(html: str, comment: Comment) -> str:
    found = re.search(rf'<article[^>]*id="comment-{comment.pk}">.*?</article>', html, re.S)
    assert found is not None
    # CSRF tokens are masked afresh on every response.
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", found.group(0))


def test_a_muted_readers_comments_collapse_for_the_muter_only(
    post: Callable[..., Comment],
    client_for: Callable[[str], Client],
    story: Story,
    users: dict[str, User],
) -> None:
    theirs = post(users["editor"], story, "Something tiresome.")
    reply = post(users["editor"], story, "And more.", to=post(users["moderator"], story, "x"))
    other = post(users["moderator"], story, "Something useful.")
    member, editor = client_for("member"), client_for("editor")
    before = article(editor.get(story.get_absolute_url() + NEWEST).content.decode(), theirs)

    confirm = member.get(f"/notifications/mute/{theirs.pk}/")
    assert "Mute Mara Lindqvist?" in confirm.content.decode()
    assert not Mute.objects.exists()  # asking changes nothing
    muted = member.post(f"/notifications/mute/{theirs.pk}/", follow=True)
    assert "You muted Mara Lindqvist." in muted.content.decode()

    page = member.get(story.get_absolute_url() + NEWEST).content.decode()
    assert COLLAPSED in article(page, theirs)
    assert "Something tiresome." in article(page, theirs)  # there, behind "show"
    assert COLLAPSED in article(page, reply)
    assert COLLAPSED not in article(page, other)
    # The thread fragment and the API say the same to the muter.
    fragment = member.get(f"/comments/{reply.pk}/thread/", HTTP_HX_REQUEST="true")
    assert COLLAPSED in article(fragment.content.decode(), reply)
    api = member.get(f"/api/comments/stories/{story.slug}/thread").json()
    assert set(api["viewer"]["muted"]) == {theirs.pk, reply.pk}

    # The muted reader (and everyone else) sees exactly what they saw before.
    assert article(editor.get(story.get_absolute_url() + NEWEST).content.decode(), theirs) == before
    for who in ("editor", "moderator", "visitor"):
        html = client_for(who).get(story.get_absolute_url() + NEWEST).content.decode()
        assert "muted reader" not in html
        api = client_for(who).get(f"/api/comments/stories/{story.slug}/thread").json()
        assert api["viewer"]["muted"] == []
    assert "muted" not in client_for("editor").get("/notifications/").content.decode().lower()

    listing = member.get("/accounts/muted/").content.decode()
    assert "Mara Lindqvist" in listing
    member.post(f"/accounts/muted/{users['editor'].pk}/unmute/")
    assert COLLAPSED not in member.get(story.get_absolute_url() + NEWEST).content.decode()
    assert "You have not muted anyone." in member.get("/accounts/muted/").content.decode()


def test_muting_oneself_or_an_unknown_comment_is_refused(
    post: Callable[..., Comment], client_for: Callable[[str], Client], story: Story, users: dict
) -> None:
    mine = post(users["member"], story, "Mine.")
    member = client_for("member")
    refused = member.post(f"/notifications/mute/{mine.pk}/", follow=True)
    assert "You cannot mute yourself." in refused.content.decode()
    assert member.post("/notifications/mute/999999/").status_code == 404
    assert not Mute.objects.exists()
    visitor = Client().post(f"/notifications/mute/{mine.pk}/")
    assert visitor["Location"].startswith("/accounts/sign-in/")
    unknown = member.post(f"/accounts/muted/{users['editor'].pk}/unmute/", follow=True)
    assert "You have not muted this reader." in unknown.content.decode()


def test_follow_buttons_show_what_the_reader_follows(
    post: Callable[..., Comment],
    client_for: Callable[[str], Client],
    story: Story,
    users: dict[str, User],
) -> None:
    mine = post(users["member"], story, "My thread.")
    theirs = post(users["editor"], story, "Their thread.")
    member = client_for("member")
    page = member.get(story.get_absolute_url() + NEWEST).content.decode()
    assert "Follow this discussion" in page
    assert "Following thread" in article(page, mine)  # commenting followed it
    assert ">Follow thread<" in article(page, theirs)
    assert (
        "Follow"
        not in Client()
        .get(story.get_absolute_url() + NEWEST)
        .content.decode()
        .split('id="comment-stream"')[1]
    )

    swapped = member.post(
        f"/notifications/follow/thread/{theirs.pk}/", {"following": "1"}, HTTP_HX_REQUEST="true"
    )
    assert "Following thread" in swapped.content.decode()
    page = member.get(story.get_absolute_url() + NEWEST).content.decode()
    assert "Following thread" in article(page, theirs)
    # Another reader's cached page is not affected by this reader's follows.
    assert ">Follow thread<" in article(
        client_for("moderator").get(story.get_absolute_url() + NEWEST).content.decode(), theirs
    )
    story_button = member.post(
        f"/notifications/follow/story/{story.pk}/", {"following": "1"}, HTTP_HX_REQUEST="true"
    )
    assert "Following this discussion" in story_button.content.decode()
    assert member.post("/notifications/follow/story/999999/", {"following": "1"}).status_code == 404
    settings_page = member.get("/accounts/notifications/").content.decode()
    assert "The discussion of" in settings_page
    assert "(you commented in it)" in settings_page


def test_muting_hides_what_that_reader_already_caused_from_the_list_and_the_count(
    post: Callable[..., Comment],
    client_for: Callable[[str], Client],
    story: Story,
    users: dict[str, User],
) -> None:
    mine = post(users["member"], story, "Night buses at last.")
    reply = post(users["editor"], story, "They start in March.", to=mine)
    post(users["moderator"], story, "And run until 5am.", to=mine)
    member = client_for("member")
    assert 'aria-label="2 unread"' in member.get("/notifications/").content.decode()
    member.post(f"/notifications/mute/{reply.pk}/")
    inbox = member.get("/notifications/").content.decode()
    assert 'aria-label="1 unread"' in inbox
    assert "Mara Lindqvist</strong> replied" not in inbox
    assert "Desk Moderator</strong> replied" in inbox
