"""Faults on the real site, as `make serve` runs it: a dead worker, a dead server.

Each test reports acknowledged against stored comments: every comment the site answered
201 for is stored exactly once, whatever died meanwhile.
"""

import os
import secrets
import signal
import threading
import time
from collections.abc import Callable

import httpx
import pytest

from tests.servers import ServerError, ServerPool, SiteServer, Visitor, alive

STORY = "city-council-approves-night-bus-network"


def posting(site: SiteServer, seconds: float) -> Callable[[], tuple[list[int], int]]:
    """Four readers' worth of posting for `seconds`; returns a join giving the ids the site
    acknowledged and how many requests failed outright."""
    acknowledged: list[int] = []
    failures = [0]
    member = site.visitor().signed_in("member@example.com")
    stop = time.monotonic() + seconds

    def post() -> None:
        while time.monotonic() < stop:
            try:
                text, token = f"Under fire {secrets.token_hex(6)}", secrets.token_hex(8)
                response = member.post(
                    f"/api/comments/stories/{STORY}/comments", json={"text": text, "token": token}
                )
            except httpx.HTTPError:
                failures[0] += 1
                continue
            if response.status_code == 201:
                acknowledged.append(response.json()["id"])
            elif response.status_code >= 500:
                failures[0] += 1

    threads = [threading.Thread(target=post) for _ in range(4)]
    for thread in threads:
        thread.start()

    def join() -> tuple[list[int], int]:
        for thread in threads:
            thread.join()
        return acknowledged, failures[0]

    return join


def stored(site: SiteServer, reader: Visitor) -> list[int]:
    ids: list[int] = []
    cursor = ""
    while True:
        page = reader.get(
            f"/api/comments/stories/{STORY}/thread", params={"sort": "oldest", "cursor": cursor}
        ).json()
        ids += [thread["comment"]["id"] for thread in page["comments"]]
        cursor = page.get("next_cursor") or ""
        if not cursor:
            return ids


@pytest.fixture
def site(site_servers: ServerPool) -> SiteServer:
    # A server of its own: these tests break it.
    return site_servers.start(workers=2, env={"COMMENT_RATE_LIMIT_SECONDS": "0",
                                              "COMMENT_BURST_PER_HOUR": "0"})  # fmt: skip


def test_a_killed_worker_is_replaced_and_no_acknowledged_comment_is_lost(
    site: SiteServer,
) -> None:
    before = stored(site, site.visitor())
    join = posting(site, seconds=8)
    time.sleep(2)
    killed = site.kill_worker()
    answers = [site.visitor().get("/healthz").status_code for _ in range(20)]
    acknowledged, failures = join()
    after = stored(site, site.visitor())
    print(f"acknowledged {len(acknowledged)}, stored {len(after) - len(before)}, "
          f"failed requests {failures}")  # fmt: skip
    assert answers.count(200) >= 19, answers  # the other worker keeps serving
    assert acknowledged
    new = set(after) - set(before)
    assert set(acknowledged) <= new  # nothing acknowledged is lost
    # A request cut off with its worker may have been stored without an answer; nothing else.
    assert len(new) - len(acknowledged) <= failures
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (len(site.pids) < 2 or killed in site.pids):
        time.sleep(0.5)
    assert len(site.pids) == 2  # replaced
    assert killed not in site.pids


def test_a_killed_server_is_started_again_and_a_killed_supervisor_leaves_nothing(
    site: SiteServer,
) -> None:
    pages = site.server_pid("pages")
    os.kill(pages, signal.SIGKILL)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline and not _serving_again(site, pages):
        time.sleep(0.5)
    assert _serving_again(site, pages), f"{_debug(site)}\n{site.log()}"
    assert site.visitor().get(f"/story/{STORY}/").status_code == 200
    acknowledged, _ = posting(site, seconds=3)()
    assert acknowledged

    assert site.process is not None
    every = [site.process.pid, *site.pids, *site.live_pids,
             site.server_pid("pages"), site.server_pid("live")]  # fmt: skip
    os.kill(site.process.pid, signal.SIGKILL)  # the supervisor dies without cleaning up
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and any(alive(pid) for pid in every):
        time.sleep(0.5)
    assert not [pid for pid in every if alive(pid)], "processes outlived the supervisor"
    with pytest.raises(httpx.HTTPError):
        httpx.get(f"{site.url}/healthz", timeout=2)

    # Started again on the same files: every comment acknowledged before the crash is there.
    site.start(fresh=False)
    after = stored(site, site.visitor())
    print(f"acknowledged {len(acknowledged)} before the crash, all stored after the restart")
    assert set(acknowledged) <= set(after)


def _serving_again(site: SiteServer, old_main: int) -> bool:
    """A new page server answers, from one of its own workers (not an orphan of the old)."""
    try:
        answer = httpx.get(f"{site.url}/healthz", timeout=10)
        main = site.server_pid("pages")
    except (httpx.HTTPError, ServerError):
        return False
    workers = site.pids
    return (
        answer.status_code == 200
        and main != old_main
        and int(answer.headers.get("x-worker-pid", 0)) in workers
    )


def _debug(site: SiteServer) -> str:
    try:
        answer = httpx.get(f"{site.url}/healthz", timeout=5)
        served = answer.status_code, answer.headers.get("x-worker-pid")
    except httpx.HTTPError as error:
        served = (0, str(error))
    try:
        main: object = site.server_pid("pages")
    except ServerError:
        main = None
    return f"served by {served}; pages main {main}; workers {site.pids}"
