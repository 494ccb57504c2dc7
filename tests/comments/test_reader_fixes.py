"""What a reader meets around the comment box: the story's comments feed, the note on a
pre-moderated story, and the plans page's offer to a visitor."""

import re
from collections.abc import Callable

from django.test import Client

from broadsheet.accounts.models import User
from broadsheet.comments import services
from broadsheet.comments.models import Comment
from broadsheet.stories.models import Story

REVIEWED = "Comments on this story are reviewed by a moderator before they appear."


def test_the_story_links_a_feed_of_its_published_comments_only(
    client_for: Callable[[str], Client], story: Story, users: dict[str, User]
) -> None:
    Comment.objects.filter(story=story).delete()
    shown = services.post_comment(users["member"], story, "Night buses, at *last*.")
    services.reply_to(users["editor"], shown.pk, "Agreed, and about time.")
    held = services.post_comment(users["member"], story, "Still under review")
    Comment.objects.filter(pk=held.pk).update(status=Comment.Status.PENDING)
    page = client_for("visitor").get(story.get_absolute_url()).content.decode()
    feed_url = f"/story/{story.slug}/comments/feed/"
    assert '<link rel="alternate" type="application/atom+xml"' in page
    assert f'href="{feed_url}">' in page

    response = Client().get(feed_url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = response.content.decode()
    entries = re.findall(r"<entry>.*?</entry>", feed, re.S)
    assert len(entries) == 2
    assert "Agreed, and about time." in entries[0]  # newest first
    assert "&lt;em&gt;last&lt;/em&gt;" in entries[1]  # the rendered comment, escaped in XML
    assert f"/comments/{shown.pk}/" in entries[1]
    assert "Still under review" not in feed
    assert "member@example.com" not in feed
    assert Client().get("/story/no-such-story/comments/feed/").status_code == 404


def test_a_pre_moderated_story_says_so_above_the_comment_box(
    client_for: Callable[[str], Client], story: Story
) -> None:
    member = client_for("member")
    assert REVIEWED not in member.get(story.get_absolute_url()).content.decode()
    Story.objects.filter(pk=story.pk).update(comment_mode=Story.CommentMode.PREMODERATED)
    page = member.get(story.get_absolute_url()).content.decode()
    form = page.split('class="composer composer--new"')[1].split("</form>")[0]
    assert form.index(REVIEWED) < form.index("<textarea")
    assert re.search(r'<textarea[^>]+aria-describedby="review-', form)
    # Readers who may not comment see no promise about a box they do not have.
    assert REVIEWED not in client_for("free").get(story.get_absolute_url()).content.decode()


def test_the_plans_page_offers_a_visitor_a_free_account(
    client_for: Callable[[str], Client],
) -> None:
    page = client_for("visitor").get("/plans/").content.decode()
    free = page.split('class="plan__name">Registered')[1].split('class="plan__name"')[0]
    assert 'href="/accounts/sign-up/?next=/plans/">Create a free account</a>' in free
    assert 'href="/accounts/sign-in/?next=/plans/">Sign in</a>' in free
    signed_in = client_for("free").get("/plans/").content.decode()
    assert "Create a free account" not in signed_in
