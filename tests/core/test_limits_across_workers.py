"""Limits across processes: one real server, 2 worker processes, a fresh connection per request.

Every limit is tested by sending consecutive requests to different workers (each response
names its worker): the embedded store in the default run, Redis (and PostgreSQL) in the
other. With a per-process cache each worker would count on its own and let twice as much
through.
"""

import secrets
import threading
import time
from typing import Any

import pytest

from tests.servers import ServerPool, SiteServer, Visitor

SPACING = 5  # seconds between two comments by one reader (the site's default is 10)
BURST = 2  # comments per hour (the default is 30): small, so the test needs no long wait
LIMITS = {"COMMENT_RATE_LIMIT_SECONDS": str(SPACING), "COMMENT_BURST_PER_HOUR": str(BURST)}
STORY = "city-council-approves-night-bus-network"
COMMENTS = f"/api/comments/stories/{STORY}/comments"
THREAD = f"/api/comments/stories/{STORY}/thread?sort=newest"


@pytest.fixture
def server(site_servers: ServerPool) -> SiteServer:
    server = site_servers.get(workers=2, env=LIMITS)
    server.clear_cache()  # every test starts with no limit used
    return server


@pytest.fixture
def workers(server: SiteServer) -> tuple[int, int]:
    first, second = server.pids
    return first, second


def unique(text: str) -> str:
    return f"{text} (note {secrets.token_hex(3)})"


def post_comment(reader: Visitor, text: str, worker: int, token: str = "") -> Any:
    return reader.post(COMMENTS, json={"text": text, "token": token}, worker=worker)


def test_fresh_connections_reach_both_workers(server: SiteServer) -> None:
    answered = {int(server.visitor().get("/healthz").headers["x-worker-pid"]) for _ in range(30)}
    assert answered == set(server.pids)


def test_comment_spacing_holds_across_workers(server: SiteServer, workers: tuple[int, int]) -> None:
    first, second = workers
    member = server.visitor().signed_in("member@example.com")

    # Both posts must fall inside one window for the test to mean anything; a machine too
    # busy for that gets another try with the limits emptied.
    for _ in range(3):
        server.clear_cache()
        started = time.monotonic()
        posted = post_comment(member, unique("The night buses will help shift workers."), first)
        too_soon = post_comment(member, unique("And the hospital staff too."), second)
        if time.monotonic() - started < SPACING:
            break
    else:
        pytest.fail(f"two posts never fitted in {SPACING} seconds: the machine is too busy")

    assert posted.status_code == 201, posted.text
    assert too_soon.status_code == 429, too_soon.text
    assert too_soon.json() == {
        "detail": f"You can post one comment every {SPACING} seconds. Wait a moment and try again.",
        "code": "rate_limited",
    }


def test_hourly_limit_counts_comments_on_every_worker(
    server: SiteServer, workers: tuple[int, int]
) -> None:
    first, second = workers
    member = server.visitor().signed_in("member@example.com")

    answers = []
    for n, worker in enumerate([first, second, first]):
        if n:
            time.sleep(SPACING + 0.2)
        answers.append(post_comment(member, unique(f"Comment number {n + 1}."), worker))

    assert [a.status_code for a in answers] == [201, 201, 429], answers[-1].text
    assert answers[-1].json()["detail"] == (
        f"You have posted {BURST} comments in the last hour, the most we allow. Try again later."
    )


def test_a_form_sent_to_two_workers_at_once_posts_one_comment(
    server: SiteServer, workers: tuple[int, int]
) -> None:
    member = server.visitor().signed_in("member@example.com")
    text, token = unique("Sent twice by a double click."), secrets.token_hex(16)
    answers: dict[int, Any] = {}
    start = threading.Barrier(len(workers))

    def send(worker: int) -> None:
        with server.connection(worker) as client:
            client.cookies = member.cookies
            start.wait(10)
            answers[worker] = client.post(
                COMMENTS,
                json={"text": text, "token": token},
                headers={"X-CSRFToken": member.cookies["csrftoken"]},
            )

    threads = [threading.Thread(target=send, args=(worker,)) for worker in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert [answers[w].status_code for w in workers] == [201, 201], answers
    assert len({answers[w].json()["id"] for w in workers}) == 1
    bodies = [entry["comment"]["body_html"] for entry in member.get(THREAD).json()["comments"]]
    assert sum(text in body for body in bodies) == 1


def test_sign_up_throttling_counts_sign_ups_on_every_worker(
    server: SiteServer, workers: tuple[int, int]
) -> None:
    visitor = server.visitor()
    run = secrets.token_hex(3)

    def sign_up(n: int) -> Any:
        return visitor.post(
            "/accounts/sign-up/",
            data={"email": f"reader{n}-{run}@example.com", "password": "a long enough secret 42"},
            worker=workers[n % 2],
        )

    answers = [sign_up(n) for n in range(10)]  # the limit: 10 an hour from one address
    refused = sign_up(10)

    assert [a.status_code for a in answers] == [302] * 10
    assert refused.status_code == 429
    assert "Too many accounts have been opened from your network" in refused.text


def test_password_reset_mail_limit_counts_requests_on_every_worker(
    server: SiteServer, workers: tuple[int, int]
) -> None:
    visitor = server.visitor()
    before = server.mail_to("free@example.com")

    answers = [
        visitor.post("/accounts/reset/", data={"email": "free@example.com"}, worker=workers[n % 2])
        for n in range(7)
    ]

    # The same answer every time (nobody learns anything from it), but 5 links an hour at most.
    assert {(a.status_code, a.headers["location"]) for a in answers} == {
        (302, "/accounts/reset/sent/")
    }
    assert server.mail_to("free@example.com") - before == 5


def test_sign_in_lockout_counts_failures_on_every_worker(
    server: SiteServer, workers: tuple[int, int]
) -> None:
    visitor = server.visitor()

    failures = [
        visitor.sign_in("digital@example.com", "not the password", worker=workers[n % 2])
        for n in range(4)
    ]
    locked = visitor.sign_in("digital@example.com", "still not it", worker=workers[0])
    right_password = visitor.sign_in("digital@example.com", worker=workers[1])

    assert [f.status_code for f in failures] == [200] * 4
    assert locked.status_code == 429
    assert right_password.status_code == 429
    assert "sessionid" not in visitor.cookies


def test_a_word_list_change_on_one_worker_screens_the_next_comment_on_the_other(
    server: SiteServer, workers: tuple[int, int]
) -> None:
    first, second = workers
    member = server.visitor().signed_in("member@example.com")
    moderator = server.visitor().signed_in("moderator@example.com")
    word = f"zorblax{secrets.token_hex(2)}"
    # The second worker screens a comment, so it holds the lists as they are now.
    warm = post_comment(member, unique("A fair point about the levy."), second)
    assert warm.status_code == 201, warm.text
    started = time.monotonic()

    added = moderator.post("/desk/terms/", data={"text": word, "kind": "banned"}, worker=first)
    assert added.status_code == 302, added.text
    time.sleep(max(0.0, SPACING + 0.2 - (time.monotonic() - started)))
    refused = post_comment(member, unique(f"What a {word} of a plan."), second)

    assert refused.status_code == 422, refused.text
    assert refused.json()["code"] == "refused"
