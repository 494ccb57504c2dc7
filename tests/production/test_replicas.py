"""Read replicas: with DATABASE_REPLICA_URLS, stale-tolerant pages read from a real streaming
replica, and a reader who just wrote reads from the primary for a few seconds.

The test starts a PostgreSQL primary and a standby fed by streaming replication
(tests/production/postgres_pair.py), and the site on them. Pausing the standby's replay makes
"read from the replica" visible: what was written since is missing there.
"""

import secrets
import time
from collections.abc import Iterator

import pytest

from tests.production.postgres_pair import StreamingPair, binaries
from tests.servers import ServerPool, SiteServer

pytestmark = pytest.mark.postgres

# Newest first: a new comment is on the first page whatever the editors picked.
STORY = "/story/city-council-approves-night-bus-network/?sort=newest"
WINDOW = 10  # READ_YOUR_WRITES_SECONDS for this site


@pytest.fixture(scope="module")
def replicated(site_servers: ServerPool) -> Iterator[tuple[SiteServer, StreamingPair]]:
    if binaries() is None:
        pytest.skip(
            "needs PostgreSQL's server programs (initdb, pg_ctl, pg_basebackup, postgres): "
            "apt-get install -y postgresql"
        )
    pair = StreamingPair().start()
    folder = site_servers.folder / "replicated"
    server = SiteServer(
        folder,
        workers=2,
        env={
            "DATABASE_URL": pair.primary_url,
            "DATABASE_REPLICA_URLS": pair.replica_url,
            "READ_YOUR_WRITES_SECONDS": str(WINDOW),
            "COMMENT_RATE_LIMIT_SECONDS": "0",
        },
    )
    server.database = ""  # the pair's own database, gone with the pair
    try:
        server.start()
        pair.caught_up()
        yield server, pair
    finally:
        server.stop()
        pair.stop()


def test_pages_read_from_the_replica_and_a_writer_reads_their_own_writes(
    replicated: tuple[SiteServer, StreamingPair],
) -> None:
    server, pair = replicated
    member = server.visitor().signed_in("member@example.com")
    visitor = server.visitor()
    assert visitor.get(STORY).status_code == 200
    text = f"Written while the replica stands still {secrets.token_hex(3)}."
    pair.pause()
    try:
        posted = member.post(
            "/api/comments/stories/city-council-approves-night-bus-network/comments",
            json={"text": text, "token": secrets.token_hex(8)},
        )
        assert posted.status_code == 201, posted.text
        written = time.monotonic()
        assert "ryw" in member.cookies, "the write did not mark the reader as a recent writer"
        # The writer sees it at once, on every worker; a visitor's page comes from the replica.
        for pid in server.pids:
            assert text in member.get(STORY, worker=pid).text
        assert text not in visitor.get(STORY).text
        # Pages that are not stale-tolerant read from the primary for everyone.
        assert text in member.get("/accounts/comments/").text
        assert time.monotonic() - written < WINDOW, "too slow to tell: the window has passed"
        # After the window the writer reads from the replica again, like everyone.
        time.sleep(max(0, WINDOW + 0.5 - (time.monotonic() - written)))
        assert text not in member.get(STORY).text
    finally:
        pair.resume()
    deadline = time.monotonic() + 15
    while text not in visitor.get(STORY).text:
        assert time.monotonic() < deadline, "the replica did not catch up after resuming"
        time.sleep(0.3)
