"""Live streams on the real site: page workers and live workers in their own processes."""

import re
import secrets
from collections.abc import Iterator
from typing import Any

import pytest

from tests.live.sse import Stream
from tests.servers import ServerPool, SiteServer, Visitor

STORY = "city-council-approves-night-bus-network"
WORDS = "/desk/terms/"


@pytest.fixture(scope="module")
def site(site_servers: ServerPool) -> SiteServer:
    # Two page workers and two live workers, no comment spacing: events must cross processes.
    return site_servers.get(workers=2, env={"LIVE_WORKERS": "2", "COMMENT_RATE_LIMIT_SECONDS": "0"})


@pytest.fixture
def streams() -> Iterator[list[Stream]]:
    opened: list[Stream] = []
    yield opened
    for stream in opened:
        stream.close()


def story_id(site: SiteServer) -> int:
    """The story's id, from where its page points the browser for live updates."""
    page = site.visitor().get(f"/story/{STORY}/")
    assert page.status_code == 200, page.text
    found = re.search(r'data-live="([^"]+)/live/stories/(\d+)/"', page.text)
    assert found, "the story page does not point at its live stream"
    assert found.group(1) == site.live_url
    return int(found.group(2))


def post(reader: Visitor, text: str, *, worker: int | None = None) -> dict[str, Any]:
    response = reader.post(
        f"/api/comments/stories/{STORY}/comments",
        json={"text": text, "token": secrets.token_hex(8)},
        worker=worker,
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


def open_stream(site: SiteServer, streams: list[Stream], path: str, **options: Any) -> Stream:
    stream = Stream(f"{site.live_url}{path}", **options).start()
    assert stream.status == 200, f"{path} answered {stream.status}\n{site.log()}"
    streams.append(stream)
    return stream


def test_a_comment_posted_on_either_worker_reaches_every_reader_once(
    site: SiteServer, streams: list[Stream]
) -> None:
    story = story_id(site)
    readers = [open_stream(site, streams, f"/live/stories/{story}/") for _ in range(6)]
    member = site.visitor().signed_in("member@example.com")
    posted = [post(member, f"Comment {n} on the night buses.", worker=pid)
              for n, pid in enumerate(site.pids)]  # fmt: skip
    for reader in readers:
        for comment in posted:
            event = reader.wait_for("comment", lambda data, c=comment: data["id"] == c["id"])
            assert comment["body_html"] in event.data["html"]
        ids = [e.data["id"] for e in reader.named("comment")]
        assert sorted(ids) == sorted(c["id"] for c in posted)  # each once, nothing else


def test_a_held_comment_reaches_only_its_author_and_the_desk_until_approved(
    site: SiteServer, streams: list[Stream]
) -> None:
    story = story_id(site)
    moderator = site.visitor().signed_in("moderator@example.com")
    added = moderator.post(WORDS, data={"text": "sprocketwash", "kind": "suspect"})
    assert added.status_code in {200, 302}, added.text
    public = open_stream(site, streams, f"/live/stories/{story}/")
    member = site.visitor().signed_in("member@example.com")
    mine = open_stream(site, streams, "/live/me/", cookies=member.cookies)
    desk = open_stream(site, streams, "/live/me/", cookies=moderator.cookies)

    held = post(member, "A sprocketwash remark that a moderator should see first.")
    assert held["status"] == "pending"
    mine.wait_for("my-comment", lambda d: d["id"] == held["id"] and d["status"] == "pending")
    desk.wait_for("queues", lambda d: d["pending"] >= 1)
    assert not public.named("comment")

    approved = moderator.post(
        f"/api/moderation/comments/{held['id']}/decision",
        json={"action": "approve", "revision": 1, "status": "pending"},
    )
    assert approved.status_code == 200, approved.text
    public.wait_for("comment", lambda d: d["id"] == held["id"])
    mine.wait_for("my-comment", lambda d: d["id"] == held["id"] and d["status"] == "published")


def test_a_reader_who_reconnects_gets_what_they_missed_once(
    site: SiteServer, streams: list[Stream]
) -> None:
    story = story_id(site)
    first = open_stream(site, streams, f"/live/stories/{story}/")
    member = site.visitor().signed_in("member@example.com")
    before = post(member, "Seen before the connection dropped.")
    last = first.wait_for("comment", lambda d: d["id"] == before["id"]).id
    first.close()
    missed = [post(member, f"Posted while away, number {n}.") for n in range(3)]
    again = open_stream(site, streams, f"/live/stories/{story}/", headers={"Last-Event-ID": last})
    after = post(member, "Posted after coming back.")
    again.wait_for("comment", lambda d: d["id"] == after["id"])
    ids = [e.data["id"] for e in again.named("comment")]
    assert ids == [c["id"] for c in [*missed, after]]


def test_private_streams_need_a_signed_in_reader_and_unknown_stories_have_none(
    site: SiteServer,
) -> None:
    visitor = site.visitor()
    with site.connection() as client:
        refused = client.get(f"{site.live_url}/live/me/")
        missing = client.get(f"{site.live_url}/live/stories/999999/")
        wrong = client.post(f"{site.live_url}/live/stories/1/")
    assert (refused.status_code, refused.json()["code"]) == (401, "sign_in_required")
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")
    assert wrong.status_code == 405
    assert visitor.get("/healthz").status_code == 200


def test_a_reply_notification_reaches_the_readers_own_stream_with_the_unread_count(
    site: SiteServer, streams: list[Stream]
) -> None:
    member = site.visitor().signed_in("member@example.com")
    editor = site.visitor().signed_in("editor@example.com")
    posted = member.post(
        f"/api/comments/stories/{STORY}/comments",
        json={"text": "Night buses at last, live.", "token": secrets.token_hex(8)},
    )
    assert posted.status_code == 201, posted.text
    mine = Stream(f"{site.live_url}/live/me/", cookies=member.cookies).start()
    streams.append(mine)
    assert mine.status == 200
    theirs = Stream(f"{site.live_url}/live/me/", cookies=editor.cookies).start()
    streams.append(theirs)

    reply = editor.post(
        f"/api/comments/{posted.json()['id']}/replies",
        json={"text": "They start in March.", "token": secrets.token_hex(8)},
    )
    assert reply.status_code == 201, reply.text
    event = mine.wait_for("notification", lambda data: True)
    page = member.get("/notifications/").text
    unread = re.search(r'aria-label="(\d+) unread"', page)
    assert unread is not None
    assert event.data["unread"] == int(unread.group(1)) >= 1
    assert not theirs.named("notification")  # the replier hears nothing of their own reply
