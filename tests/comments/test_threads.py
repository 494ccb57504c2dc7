"""The stream: replies and their depth, collapsing, sorting, picks, pages, permalinks, badges."""

import json
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from broadsheet.accounts.models import User
from broadsheet.comments import services
from broadsheet.comments.models import Comment
from broadsheet.stories.models import Story

pytestmark = pytest.mark.django_db


def ids_in(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<article class="comment[^"]*" id="comment-(\d+)"', html)]


def badges_of(html: str, name: str) -> list[str]:
    header = re.search(rf'comment__author">{name}</span>(.*?)</header>', html, re.S)
    assert header is not None
    return re.findall(r'<span class="badge badge--[a-z]+">([^<]+)</span>', header.group(1))


def thread_api(client: Client, story: Story, **params: str) -> Any:
    response = client.get(f"/api/comments/stories/{story.slug}/thread", params)
    assert response.status_code == 200, response.content
    return response.json()


def test_replies_nest_to_depth_three_then_name_whom_they_answer(
    client_for: Callable[[str], Client], story: Story, users: dict[str, User]
) -> None:
    member, editor = users["member"], users["editor"]
    top = services.post_comment(member, story, "Top")
    second = services.reply_to(editor, top.pk, "Second")
    third = services.reply_to(member, second.pk, "Third")
    fourth = services.reply_to(editor, third.pk, "Fourth")
    assert (top.depth, second.depth, third.depth, fourth.depth) == (1, 2, 3, 3)
    assert fourth.parent_id == second.pk
    assert fourth.in_reply_to_id == third.pk
    assert {c.root_id for c in (second, third, fourth)} == {top.pk}
    top.refresh_from_db()
    second.refresh_from_db()
    assert (top.reply_count, second.reply_count) == (1, 2)

    html = client_for("visitor").get(f"/comments/{fourth.pk}/", follow=True).content.decode()
    assert ids_in(html)[:4] == [top.pk, second.pk, third.pk, fourth.pk]
    assert f'In reply to <a href="#comment-{third.pk}">Harbour Watcher</a>' in html

    data = thread_api(client_for("visitor"), story, sort="newest")
    thread = next(t for t in data["comments"] if t["comment"]["id"] == top.pk)
    assert [r["depth"] for r in thread["replies"]] == [2, 3, 3]
    assert thread["replies"][2]["in_reply_to"] == "Harbour Watcher"


def test_a_reply_through_the_page(
    client_for: Callable[[str], Client], story: Story, member: User
) -> None:
    top = services.post_comment(member, story, "Who runs the night buses?")
    client = client_for("editor")
    form = client.get(f"/comments/{top.pk}/reply/")
    assert form.status_code == 200
    assert "Reply to Harbour Watcher" in form.content.decode()
    assert "Who runs the night buses?" in form.content.decode()
    done = client.post(f"/comments/{top.pk}/reply/", {"text": "The city does.", "token": "r"})
    reply = Comment.objects.get(body="The city does.")
    assert done["Location"] == f"{story.get_absolute_url()}?thread={top.pk}#comment-{reply.pk}"
    assert reply.parent_id == top.pk
    api = client.post(
        f"/api/comments/{top.pk}/replies",
        json.dumps({"text": "And the region pays."}),
        content_type="application/json",
    )
    assert api.status_code == 201
    assert api.json()["parent_id"] == top.pk


def test_no_reply_to_a_comment_that_is_not_published(
    client_for: Callable[[str], Client], story: Story, member: User
) -> None:
    top = services.post_comment(member, story, "To be removed")
    services.set_status(top, Comment.Status.REJECTED, reason="off topic")
    client = client_for("editor")
    assert client.post(f"/comments/{top.pk}/reply/", {"text": "hello"}).status_code == 404
    api = client.post(
        f"/api/comments/{top.pk}/replies",
        json.dumps({"text": "hello"}),
        content_type="application/json",
    )
    assert api.status_code == 404
    assert not Comment.objects.filter(body="hello").exists()


def test_long_threads_collapse_behind_show_more(
    client_for: Callable[[str], Client], story: Story, users: dict[str, User]
) -> None:
    top = services.post_comment(users["member"], story, "Start")
    replies = [services.reply_to(users["editor"], top.pk, f"reply {n}") for n in range(7)]
    html = client_for("visitor").get(story.get_absolute_url() + "?sort=newest").content.decode()
    assert "show 4 more replies" in html
    shown = ids_in(html)
    assert replies[2].pk in shown
    assert replies[3].pk not in shown

    fragment = client_for("visitor").get(f"/comments/{top.pk}/thread/", HTTP_HX_REQUEST="true")
    assert set(ids_in(fragment.content.decode())) == {top.pk, *(r.pk for r in replies)}
    assert "<html" not in fragment.content.decode()

    # Without JavaScript the link opens the whole thread on the story page.
    page = client_for("visitor").get(f"/comments/{top.pk}/", follow=True).content.decode()
    assert set(ids_in(page)) >= {r.pk for r in replies}
    assert "show 4 more replies" not in page.split('class="stream__list"')[0]


def make_comments(story: Story, author: User, count: int, **fields: Any) -> list[Comment]:
    start = timezone.now() - timedelta(days=1)
    made = Comment.objects.bulk_create(
        Comment(
            story=story,
            author=author,
            body=f"bulk {n}",
            body_html=f"<p>bulk {n}</p>",
            **fields,
        )
        for n in range(count)
    )
    for n, comment in enumerate(made):
        Comment.objects.filter(pk=comment.pk).update(created_at=start + timedelta(seconds=n))
    from broadsheet.comments.demo import recount

    recount()
    return made


def test_pages_of_twenty_by_cursor_with_load_more(
    client_for: Callable[[str], Client], story: Story, member: User
) -> None:
    Comment.objects.filter(story=story).delete()
    made = make_comments(story, member, 45)
    client = client_for("visitor")
    first = client.get(story.get_absolute_url() + "?sort=oldest").content.decode()
    assert ids_in(first) == [c.pk for c in made[:20]]
    more = re.search(r'class="button button--secondary" href="([^"]+)"', first)
    assert more is not None
    assert ">Load more comments<" in first
    second = client.get(more.group(1).replace("&amp;", "&")).content.decode()
    assert ids_in(second) == [c.pk for c in made[20:40]]

    data = thread_api(client, story, sort="oldest")
    seen = [t["comment"]["id"] for t in data["comments"]]
    while data["next_cursor"]:
        data = thread_api(client, story, sort="oldest", cursor=data["next_cursor"])
        seen += [t["comment"]["id"] for t in data["comments"]]
    assert seen == [c.pk for c in made]

    # htmx "Load more" fetches only the next page, to append.
    hx = re.search(r'hx-get="(/comments/story/\d+/\?[^"]*cursor=[^"]+)"', first)
    assert hx is not None
    fragment = client.get(hx.group(1).replace("&amp;", "&"), HTTP_HX_REQUEST="true")
    assert ids_in(fragment.content.decode()) == [c.pk for c in made[20:40]]
    assert "stream__gate" not in fragment.content.decode()


def test_a_bad_cursor_or_sort(client_for: Callable[[str], Client], story: Story) -> None:
    client = client_for("visitor")
    for params in [{"cursor": "garbage"}, {"cursor": "WzEsIDJd"}, {"sort": "best"}]:
        response = client.get(f"/api/comments/stories/{story.slug}/thread", params)
        assert response.status_code == 422, params
    # The page shows the first page instead of an error.
    assert client.get(story.get_absolute_url() + "?cursor=garbage&sort=best").status_code == 200


def test_sorts(client_for: Callable[[str], Client], story: Story, users: dict[str, User]) -> None:
    Comment.objects.filter(story=story).delete()
    member, editor, moderator = users["member"], users["editor"], users["moderator"]
    old = services.post_comment(member, story, "old")
    liked = services.post_comment(member, story, "liked")
    discussed = services.post_comment(member, story, "discussed")
    Comment.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(hours=2))
    Comment.objects.filter(pk=liked.pk).update(created_at=timezone.now() - timedelta(hours=1))
    services.toggle_recommend(editor, liked.pk)
    services.toggle_recommend(moderator, liked.pk)
    services.reply_to(editor, discussed.pk, "one")
    services.reply_to(moderator, discussed.pk, "two")
    services.toggle_recommend(editor, discussed.pk)
    client = client_for("visitor")

    def order(sort: str) -> list[int]:
        data = thread_api(client, story, sort=sort)
        return [t["comment"]["id"] for t in data["comments"]]

    assert order("newest") == [discussed.pk, liked.pk, old.pk]
    assert order("oldest") == [old.pk, liked.pk, discussed.pk]
    assert order("recommended") == [liked.pk, discussed.pk, old.pk]
    assert order("replies") == [discussed.pk, liked.pk, old.pk]
    page = client.get(story.get_absolute_url() + "?sort=recommended").content.decode()
    assert ids_in(page)[:2] == [liked.pk, discussed.pk]
    assert 'aria-current="true">Most recommended<' in page


def test_editors_picks_are_a_strip_above_the_whole_stream(
    client_for: Callable[[str], Client], story: Story, member: User
) -> None:
    Comment.objects.filter(story=story).delete()
    plain = services.post_comment(member, story, "plain")
    pick = services.post_comment(member, story, "pick")
    client = client_for("visitor")
    html = client.get(story.get_absolute_url()).content.decode()
    assert 'class="picks"' not in html
    services.set_featured(pick, True)
    html = client.get(story.get_absolute_url()).content.decode()
    strip = html.split('class="picks"')[1].split("</section>")[0]
    assert f'id="pick-{pick.pk}"' in strip
    assert f"pick-{plain.pk}" not in strip
    assert f'href="/comments/{pick.pk}/"' in strip  # to the pick in its conversation
    # The default tab is the full stream, newest first, with the pick in its place.
    tabs = re.findall(r"<li><a [^>]+>([^<]+)</a></li>", html.split("stream__sorts")[1])
    assert tabs[0] == "Newest"
    assert "Editors&#x27; picks" not in tabs
    assert 'aria-current="true">Newest<' in html
    assert ids_in(html) == [pick.pk, plain.pk]
    # An old link to the picks tab opens the full stream too; the API still sorts by picks.
    assert ids_in(client.get(story.get_absolute_url() + "?sort=picks").content.decode()) == [
        pick.pk,
        plain.pk,
    ]
    assert thread_api(client, story, sort="picks")["comments"][0]["comment"]["featured"] is True


def test_the_permalink_opens_the_thread_and_scrolls_to_the_comment(
    client_for: Callable[[str], Client], story: Story, users: dict[str, User]
) -> None:
    top = services.post_comment(users["member"], story, "Top")
    reply = services.reply_to(users["editor"], top.pk, "Reply")
    response = client_for("visitor").get(f"/comments/{reply.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"{story.get_absolute_url()}?thread={top.pk}#comment-{reply.pk}"
    assert client_for("visitor").get("/comments/999999/").status_code == 404
    services.set_status(reply, Comment.Status.REJECTED)
    assert client_for("visitor").get(f"/comments/{reply.pk}/").status_code == 404


def test_badges_for_staff_and_the_story_author(
    client_for: Callable[[str], Client], story: Story, users: dict[str, User]
) -> None:
    Comment.objects.filter(story=story).delete()
    story.authors.set([users["member"]])
    services.post_comment(users["member"], story, "From the reporter")
    services.post_comment(users["editor"], story, "From the desk")
    services.post_comment(users["moderator"], story, "From moderation")
    html = client_for("visitor").get(story.get_absolute_url()).content.decode()
    assert badges_of(html, "Harbour Watcher") == ["Author"]
    assert badges_of(html, "Mara Lindqvist") == ["Editor"]
    assert badges_of(html, "Desk Moderator") == ["Moderator"]
    data = thread_api(client_for("visitor"), story)
    assert sorted(tuple(t["comment"]["badges"]) for t in data["comments"]) == [
        ("Author",),
        ("Editor",),
        ("Moderator",),
    ]


def test_every_comment_has_a_report_link_but_ones_own(
    client_for: Callable[[str], Client], story: Story, member: User
) -> None:
    mine = services.post_comment(member, story, "Mine")
    demo_comment = Comment.objects.filter(story=story).exclude(pk=mine.pk).first()
    assert demo_comment is not None
    html = client_for("editor").get(story.get_absolute_url() + "?sort=newest").content.decode()
    assert f'href="/report/comment/{mine.pk}/"' in html
    own = client_for("member").get(story.get_absolute_url() + "?sort=newest").content.decode()
    assert f'href="/report/comment/{mine.pk}/"' not in own
    assert f'href="/report/comment/{demo_comment.pk}/"' not in own  # also member's own
    assert "Report" in client_for("visitor").get(story.get_absolute_url()).content.decode()


def test_the_stream_works_without_javascript(
    client_for: Callable[[str], Client], story: Story
) -> None:
    html = client_for("member").get(story.get_absolute_url()).content.decode()
    # Plain forms and links; htmx attributes only add to them; no inline script or style.
    assert f'<form method="post" action="/comments/story/{story.pk}/"' in html
    assert 'href="/story/city-council-approves-night-bus-network/?sort=oldest#comments"' in html
    assert "<script>" not in html
    assert " style=" not in html
    assert "hx-on" not in html


def test_tabs_swap_the_stream_with_htmx(client_for: Callable[[str], Client], story: Story) -> None:
    response = client_for("visitor").get(
        f"/comments/story/{story.pk}/?sort=oldest", HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<div id="comment-stream"')
    assert 'aria-current="true">Oldest<' in html
    plain = client_for("visitor").get(f"/comments/story/{story.pk}/?sort=oldest")
    assert plain.status_code == 302
    assert plain["Location"] == f"{story.get_absolute_url()}?sort=oldest#comments"
