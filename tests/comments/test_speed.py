"""Reading a thread costs a fixed number of queries, whatever its size."""

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from broadsheet.accounts.models import User
from broadsheet.comments.demo import recount
from broadsheet.comments.models import Comment, Reaction
from broadsheet.stories.models import Story

pytestmark = pytest.mark.django_db


def fill(story: Story, authors: list[User], count: int) -> None:
    """`count` comments: a third top-level, the rest replies two levels deep."""
    Comment.objects.filter(story=story).delete()
    tops = Comment.objects.bulk_create(
        Comment(story=story, author=authors[n % len(authors)], body=f"top {n}",
                body_html=f"<p>top {n}</p>")
        for n in range(max(1, count // 3))
    )  # fmt: skip
    seconds = Comment.objects.bulk_create(
        Comment(story=story, author=authors[n % len(authors)], parent=tops[n % len(tops)],
                root=tops[n % len(tops)], depth=2, body=f"reply {n}", body_html=f"<p>reply {n}</p>")
        for n in range(count // 3)
    )  # fmt: skip
    Comment.objects.bulk_create(
        Comment(story=story, author=authors[n % len(authors)], parent=seconds[n % len(seconds)],
                root=seconds[n % len(seconds)].root, depth=3, body=f"deep {n}",
                body_html=f"<p>deep {n}</p>")
        for n in range(count - len(tops) - len(seconds))
    )  # fmt: skip
    Reaction.objects.bulk_create(
        Reaction(comment=c, reader=authors[0]) for c in tops[1::2] if c.author_id != authors[0].pk
    )
    recount()
    assert Comment.objects.filter(story=story).count() == count


def queries_for(client: Client, url: str, *, cold: bool = True) -> int:
    if cold:
        cache.clear()
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("who", ["visitor", "member"])
def test_reading_a_thread_costs_the_same_whatever_its_size(
    client_for: Callable[[str], Client],
    story: Story,
    users: dict[str, User],
    who: str,
    django_assert_max_num_queries: Any,
) -> None:
    authors = [users["member"], users["editor"], users["moderator"], users["free"]]
    client = client_for(who)
    url = story.get_absolute_url() + "?sort=newest"
    api = f"/api/comments/stories/{story.slug}/thread?sort=recommended"

    def costs() -> tuple[int, int, int, int]:
        return (
            queries_for(client, url),
            queries_for(client, url, cold=False),
            queries_for(client, api),
            queries_for(client, api, cold=False),
        )

    fill(story, authors, 12)
    small = costs()

    fill(story, authors, 1000)
    cache.clear()
    with django_assert_max_num_queries(25):
        html = client.get(url).content.decode()
    assert html.count('class="stream__item"') == 20
    large = costs()
    assert large == small
    # From the cache, the thread itself costs nothing: what is left is the story and the reader.
    assert large[1] <= large[0] - 4
    # The story; for a signed-in reader also the user (the session comes from the shared
    # store) and their own actions.
    assert large[3] == (1 if who == "visitor" else 3)


def test_a_write_is_seen_at_once_despite_the_cache(
    client_for: Callable[[str], Client], story: Story, users: dict[str, User]
) -> None:
    client = client_for("visitor")
    url = story.get_absolute_url() + "?sort=newest"
    client.get(url)
    from broadsheet.comments import services

    services.post_comment(users["member"], story, "Fresh off the press")
    assert "Fresh off the press" in client.get(url).content.decode()


def test_the_cached_page_is_personalised_for_each_reader(
    client_for: Callable[[str], Client], story: Story, users: dict[str, User]
) -> None:
    from broadsheet.comments import services

    mine = services.post_comment(users["member"], story, "Mine to edit")
    theirs = services.post_comment(users["editor"], story, "Theirs to recommend")
    services.toggle_recommend(users["member"], theirs.pk)
    url = story.get_absolute_url() + "?sort=newest"
    # Someone else fills the cache first.
    first = client_for("moderator").get(url).content.decode()
    assert f'href="/comments/{mine.pk}/edit/"' not in first

    member = client_for("member")
    html = member.get(url).content.decode()
    assert f'href="/comments/{mine.pk}/edit/"' in html
    assert f'hx-post="/comments/{mine.pk}/delete/"' in html
    assert f'href="/report/comment/{mine.pk}/"' not in html
    assert f'href="/report/comment/{theirs.pk}/"' in html
    recommend = html.split(f'id="recommend-{theirs.pk}"')[1].split("</span>")[0]
    assert 'aria-pressed="true">Recommended<' in recommend
    assert not re.search(r"csrf-[0-9a-f]{32}", html)
    # The forms carry this reader's own CSRF token and work with it.
    value = recommend.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = member.cookies
    url = f"/comments/{theirs.pk}/recommend/"
    assert strict.post(url, {"csrfmiddlewaretoken": "forged"}).status_code == 403
    assert strict.post(url, {"csrfmiddlewaretoken": value}).status_code == 302
    theirs.refresh_from_db()
    assert theirs.recommend_count == 0
