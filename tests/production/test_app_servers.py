"""Three app servers behind nginx on one PostgreSQL and one Redis: one site.

The servers are started as deploy/systemd starts them (`python -m broadsheet.config.serve`),
nginx runs a copy of deploy/nginx/ (TLS taken out). Readers go through nginx; some checks
pin a request to one server's own port to show that what it did reaches the others.
"""

import secrets
import shutil
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.live.sse import Stream
from tests.production.cluster import (
    Cluster,
    Nginx,
    ProxiedSite,
    main_config,
    nginx_binary,
    site_config,
)
from tests.servers import SiteServer, Visitor

STORY = "city-council-approves-night-bus-network"
# Newest first: a new comment is on the first page whatever the editors picked.
PAGE = f"/story/{STORY}/?sort=newest"
MEMBER, MODERATOR = "member@example.com", "moderator@example.com"
NGINX_MISSING = "needs nginx (Debian's package): apt-get install -y nginx"


def _nginx() -> str:
    binary = nginx_binary()
    if binary is None:
        pytest.skip(NGINX_MISSING)
    return binary


# --- the site files themselves -------------------------------------------------------------


def test_the_site_file_with_tls_and_the_generated_one_pass_nginx_t(tmp_path: Path) -> None:
    binary = _nginx()
    if not shutil.which("openssl"):
        pytest.skip("needs openssl: apt-get install -y openssl")
    cert, key = tmp_path / "fullchain.pem", tmp_path / "privkey.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj",
         "/CN=news.example.com", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    for name, listen in (("tls", None), ("plain", 8080)):
        folder = tmp_path / name
        folder.mkdir()
        site = site_config(folder, pages=[8000, 8002], live=[8001, 8003], listen=listen,
                           static_root=tmp_path, certificate=(cert, key))  # fmt: skip
        conf = folder / "nginx.conf"
        conf.write_text(main_config(folder, site))
        tested = subprocess.run(
            [binary, "-t", "-p", str(folder), "-c", str(conf), "-e", str(folder / "error.log")],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        assert tested.returncode == 0, tested.stderr
        assert "syntax is ok" in tested.stderr
    plain = (tmp_path / "plain" / "site.conf").read_text()
    assert "ssl" not in plain.replace("ssl_", "")
    assert "return 301" not in plain


# --- three app servers ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Cluster, Nginx]]:
    from django.conf import settings

    _nginx()
    if not settings.DATABASES["default"]["ENGINE"].endswith("postgresql") or not settings.REDIS_URL:
        pytest.skip(
            "needs PostgreSQL and Redis: run with DATABASE_URL=postgres://postgres@127.0.0.1:5432/"
            "postgres REDIS_URL=redis://127.0.0.1:6379/0 make test"
        )
    folder = tmp_path_factory.mktemp("cluster")
    env = {"LIVE_URL": "", "COMMENT_RATE_LIMIT_SECONDS": "0", "COMMENT_BURST_PER_HOUR": "0"}
    servers = Cluster(folder, 3, env).start()
    nginx = Nginx(
        folder / "nginx",
        pages=[s.port for s in servers.servers],
        live=[s.live_port for s in servers.servers],
        static_root=servers.servers[0].var_dir / "static",
    )
    try:
        nginx.start()
        yield servers, nginx
    finally:
        nginx.stop()
        servers.stop()


def reader(nginx: Nginx, email: str | None = None) -> Visitor:
    visitor = Visitor(ProxiedSite(nginx))  # type: ignore[arg-type]
    return visitor.signed_in(email) if email else visitor


def post(visitor: Visitor, text: str) -> httpx.Response:
    return visitor.post(
        f"/api/comments/stories/{STORY}/comments",
        json={"text": text, "token": secrets.token_hex(8)},
    )


def stored(cluster: Cluster, prefix: str) -> Counter[str]:
    """How many times each comment starting with `prefix` is in the database."""
    import psycopg

    with psycopg.connect(cluster.database_url.replace("postgres://", "postgresql://")) as db:
        rows = db.execute(
            "SELECT body FROM comments_comment WHERE body LIKE %s", [f"{prefix}%"]
        ).fetchall()
    return Counter(body for (body,) in rows)


def story_id(visitor: Visitor) -> int:
    import re

    page = visitor.get(f"/story/{STORY}/")
    found = re.search(r'data-live="[^"]*/live/stories/(\d+)/"', page.text)
    assert found, "the story page does not point at its live stream"
    return int(found.group(1))


def owner(cluster: Cluster, response: httpx.Response) -> SiteServer:
    pid = int(response.headers["x-worker-pid"])
    return next(s for s in cluster.servers if pid in s.pids)


def test_readers_posting_through_nginx_store_every_comment_once(
    cluster: tuple[Cluster, Nginx],
) -> None:
    servers, nginx = cluster
    run = f"once-{secrets.token_hex(3)}"
    member = reader(nginx, MEMBER)
    answers: list[httpx.Response] = []

    def write(thread: int) -> None:
        for n in range(6):
            answers.append(post(member, f"{run} comment {thread}.{n} on the night buses"))

    threads = [threading.Thread(target=write, args=(t,)) for t in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert [a.status_code for a in answers] == [201] * 24, [a.text for a in answers]
    assert {owner(servers, a) for a in answers} == set(servers.servers), "not spread over all"
    counts = stored(servers, run)
    assert len(counts) == 24
    assert set(counts.values()) == {1}


def test_a_comment_posted_on_one_server_reaches_live_readers_on_the_others(
    cluster: tuple[Cluster, Nginx],
) -> None:
    servers, nginx = cluster
    first, *others = servers.servers
    story = story_id(reader(nginx))
    streams = [Stream(f"{s.live_url}/live/stories/{story}/").start() for s in others]
    streams.append(Stream(f"{nginx.url}/live/stories/{story}/").start())
    try:
        assert [s.status for s in streams] == [200] * 3
        comment = (
            first.visitor()
            .signed_in(MEMBER)
            .post(
                f"/api/comments/stories/{STORY}/comments",
                json={"text": "Posted on the first server.", "token": secrets.token_hex(8)},
            )
        )
        assert comment.status_code == 201, comment.text
        for stream in streams:
            stream.wait_for("comment", lambda d: d["id"] == comment.json()["id"], timeout=10)
    finally:
        for stream in streams:
            stream.close()


def test_a_moderators_decision_on_one_server_reaches_readers_of_the_others(
    cluster: tuple[Cluster, Nginx],
) -> None:
    servers, _nginx = cluster
    author_server, desk_server, reader_server = servers.servers
    moderator = desk_server.visitor().signed_in(MODERATOR)
    word = f"sprocket{secrets.token_hex(3)}"
    added = moderator.post("/desk/terms/", data={"text": word, "kind": "suspect"})
    assert added.status_code in {200, 302}, added.text
    text = f"A {word} remark for the desk to judge."
    held = (
        author_server.visitor()
        .signed_in(MEMBER)
        .post(
            f"/api/comments/stories/{STORY}/comments",
            json={"text": text, "token": secrets.token_hex(8)},
        )
    )
    assert held.status_code == 201, held.text
    assert held.json()["status"] == "pending"
    visitor = reader_server.visitor()
    assert word not in visitor.get(PAGE).text
    story = story_id(visitor)
    stream = Stream(f"{reader_server.live_url}/live/stories/{story}/").start()
    try:
        approved = moderator.post(
            f"/api/moderation/comments/{held.json()['id']}/decision",
            json={"action": "approve", "revision": 1, "status": "pending"},
        )
        assert approved.status_code == 200, approved.text
        stream.wait_for("comment", lambda d: d["id"] == held.json()["id"], timeout=10)
    finally:
        stream.close()
    assert word in visitor.get(PAGE).text


def _shared_lifetime(cache_control: str) -> int:
    """Seconds a shared cache may keep a response with this Cache-Control (0: not at all)."""
    words = {p.strip().split("=")[0]: p.strip().partition("=")[2] for p in cache_control.split(",")}
    if {"private", "no-store", "no-cache"} & words.keys():
        return 0
    for name in ("s-maxage", "max-age"):
        if words.get(name, "").isdigit():
            return int(words[name])
    return 0


def test_visitors_pages_come_from_nginx_cache_and_change_when_a_comment_is_published(
    cluster: tuple[Cluster, Nginx],
) -> None:
    _servers, nginx = cluster
    with nginx.client() as client:
        # nginx keeps what the app marks cacheable, for as long as it says: /embed.js (5 min).
        first, again = client.get("/embed.js"), client.get("/embed.js")
        assert first.headers["x-cache-status"] == "MISS"
        assert again.headers["x-cache-status"] == "HIT"
        assert again.content == first.content
        page = client.get(PAGE)
        assert page.status_code == 200
        # A visitor's story page is the same for every visitor: shared, and no cookie set.
        lifetime = _shared_lifetime(page.headers.get("cache-control", ""))
        assert lifetime > 0, page.headers.get("cache-control")
        assert "set-cookie" not in page.headers
        repeat = client.get(PAGE)
        assert repeat.headers["x-cache-status"] == "HIT"
        assert repeat.content == page.content
    # A signed-in reader's page is never the cached one.
    member = reader(nginx, MEMBER)
    assert member.get(PAGE).headers["x-cache-status"] == "BYPASS"
    text = f"Published for the visitors {secrets.token_hex(3)}."
    assert post(member, text).status_code == 201
    deadline = time.monotonic() + lifetime + 5
    with nginx.client() as client:
        while text not in client.get(PAGE).text:
            assert time.monotonic() < deadline, (
                f"visitors still see the old page after {lifetime} s"
            )
            time.sleep(0.5)


def test_an_app_server_killed_mid_traffic_loses_no_acknowledged_comment(
    cluster: tuple[Cluster, Nginx],
) -> None:
    servers, nginx = cluster
    victim = servers.servers[1]
    run = f"kill-{secrets.token_hex(3)}"
    member = reader(nginx, MEMBER)
    acknowledged: list[str] = []
    refused: list[int] = []
    killed = threading.Event()

    def write(thread: int) -> None:
        for n in range(10):
            text = f"{run} comment {thread}.{n} while a server dies"
            try:
                answer = post(member, text)
            except httpx.HTTPError:
                refused.append(-1)
                continue
            if answer.status_code == 201:
                acknowledged.append(text)
            else:
                refused.append(answer.status_code)
            if thread == 0 and n == 3:
                servers.crash(victim)
                killed.set()

    threads = [threading.Thread(target=write, args=(t,)) for t in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert killed.is_set()
    counts = stored(servers, run)
    assert all(counts[text] == 1 for text in acknowledged), "an acknowledged comment is lost"
    assert set(counts.values()) <= {1}, "a comment is stored twice"
    # Only requests already inside the dying server can fail; nginx sends the rest elsewhere.
    assert len(refused) <= 3, refused
    assert len(acknowledged) >= 27
    after = [post(member, f"{run} after {n}") for n in range(6)]
    assert [a.status_code for a in after] == [201] * 6
    assert victim.port not in {owner(servers, a).port for a in after}
