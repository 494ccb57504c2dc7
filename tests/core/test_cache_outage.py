"""With Redis down the site keeps serving: pages render from the database, writes that need
a limit answer 503 with a clear message, /healthz names the cache as down, and everything
recovers by itself when Redis is back. A real server (2 workers) and a Redis of the test's
own, stopped and started mid-test.
"""

import time
from typing import Any

import pytest

from tests.servers import RedisServer, ServerPool, SiteServer

STORY = "city-council-approves-night-bus-network"
THREAD = f"/api/comments/stories/{STORY}/thread"
PAGES = ["/", f"/story/{STORY}/", "/section/politics/", THREAD]
COMMENTS = f"/api/comments/stories/{STORY}/comments"
UNAVAILABLE = (
    "This cannot be done for a moment: part of the site is restarting. "
    "Nothing was changed. Please try again in a minute."
)


def health(server: SiteServer, worker: int) -> Any:
    return server.visitor().get("/healthz", worker=worker)


def wait_for_health(server: SiteServer, status: int, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if all(health(server, worker).status_code == status for worker in server.pids):
            return
        time.sleep(0.2)
    pytest.fail(f"/healthz did not answer {status} on every worker in {timeout} s\n{server.log()}")


@pytest.mark.redis
def test_the_site_outlives_a_redis_outage(site_servers: ServerPool, own_redis: RedisServer) -> None:
    server = site_servers.start(workers=2, env={"REDIS_URL": own_redis.url})
    member = server.visitor().signed_in("member@example.com")
    assert member.post(COMMENTS, json={"text": "Before the outage."}).status_code == 201

    own_redis.stop()

    for worker in server.pids:
        down = health(server, worker)
        assert down.status_code == 503
        report = down.json()
        assert report["status"] == "unavailable"
        assert report["cache"]["status"] == "unavailable"
        assert report["cache"]["reason"].startswith("cache unreachable:")
        assert report["database"]["status"] == "ok"
        assert report["tasks"]["status"] == "ok"
        # Reading goes on, from the database: pages, the thread, signing in.
        for path in PAGES:
            assert member.get(path, worker=worker).status_code == 200, f"{path}\n{server.log()}"
        assert "Before the outage." in member.get(THREAD, worker=worker).text
        reader = server.visitor()
        assert reader.sign_in("free@example.com", worker=worker).status_code == 302

        # Writes that need a limit are refused, clearly, and change nothing.
        refused = member.post(COMMENTS, json={"text": "During the outage."}, worker=worker)
        assert refused.status_code == 503
        assert refused.json() == {"detail": UNAVAILABLE, "code": "unavailable"}
        sign_up = server.visitor().post(
            "/accounts/sign-up/",
            data={"email": f"new-{worker}@example.com", "password": "a long enough secret 42"},
            worker=worker,
        )
        assert sign_up.status_code == 503
        assert UNAVAILABLE in sign_up.text
        reset = server.visitor().post(
            "/accounts/reset/", data={"email": "free@example.com"}, worker=worker
        )
        assert reset.status_code == 503
        assert UNAVAILABLE in reset.text
    assert "During the outage." not in member.get(THREAD).text

    own_redis.start()
    wait_for_health(server, 200)

    for worker in server.pids:
        for path in PAGES:
            assert member.get(path, worker=worker).status_code == 200, f"{path}\n{server.log()}"
    posted = member.post(COMMENTS, json={"text": "After the outage."})
    assert posted.status_code == 201, posted.text
