"""Live updates under load: thousands of readers on one story while comments are posted.

Starts the site as `make serve` does (python -m broadsheet.config.serve --demo, in a
temporary var folder), opens N Server-Sent Events connections to one story from one
asyncio client on 127.0.0.1, posts comments through the JSON API, and reports:
  - connections held, and the live workers' resident memory per connection;
  - the delay from each post's 2xx answer to each reader's receipt (p50, p99, max);
  - events missing or duplicated per reader.

    .venv/bin/python bench/live_bench.py --readers 1000 5000
    DATABASE_URL=postgres://... REDIS_URL=redis://... .venv/bin/python bench/live_bench.py

With DATABASE_URL set, the site uses a database of its own (created and dropped here).
Pages and figures in bench/README.md.
"""

import argparse
import asyncio
import json
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import httpx

ROOT = Path(__file__).resolve().parents[1]
STORY = "city-council-approves-night-bus-network"
PASSWORD = "broadsheet-demo"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def rss_mb(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total / 1024


def children(pid: int) -> list[int]:
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(proc.name))
    return found


def command_of(pid: int) -> bytes:
    return Path(f"/proc/{pid}/cmdline").read_bytes()


class Site:
    def __init__(self, live_workers: int) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="broadsheet-live-bench-"))
        self.port, self.live_port = free_port(), free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.live_url = f"http://127.0.0.1:{self.live_port}"
        self.database = ""
        env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
        env |= {"BROADSHEET_VAR_DIR": str(self.folder), "PORT": str(self.port),
                "LIVE_PORT": str(self.live_port), "LIVE_WORKERS": str(live_workers),
                "LOG_LEVEL": "WARNING", "COMMENT_RATE_LIMIT_SECONDS": "0",
                "COMMENT_BURST_PER_HOUR": "0"}  # fmt: skip
        if env.get("DATABASE_URL"):
            self.database = f"bench_live_{secrets.token_hex(3)}"
            parts = urlsplit(env["DATABASE_URL"])
            self.admin = urlunsplit(parts._replace(path="/postgres"))
            env["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{self.database}"))
            self._psql(f'CREATE DATABASE "{self.database}"')
        if env.get("REDIS_URL"):
            env["CACHE_KEY_PREFIX"] = f"bench_{secrets.token_hex(3)}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "broadsheet.config.serve", "--demo"],
            cwd=ROOT, env=env, stdout=(self.folder / "server.log").open("wb"),
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            try:
                if (
                    httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200
                    and httpx.get(f"{self.live_url}/live/", timeout=2).status_code == 200
                ):
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        else:
            self.stop()
            raise SystemExit("the site did not start")

    def _psql(self, statement: str) -> None:
        import psycopg

        with psycopg.connect(self.admin, autocommit=True) as connection:
            connection.execute(statement)

    def live_worker_pids(self) -> list[int]:
        mains = [p for p in children(self.process.pid) if b"asgi" in command_of(p)]
        return [w for main in mains for w in children(main)]

    def stop(self) -> None:
        os.killpg(self.process.pid, 15)
        try:
            self.process.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, 9)
        if self.database:
            self._psql(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
        shutil.rmtree(self.folder, ignore_errors=True)


class Reader:
    """One SSE connection, read with a bare asyncio stream (cheap enough for thousands)."""

    def __init__(self) -> None:
        self.received: dict[int, list[float]] = {}
        self.connected = asyncio.Event()

    async def run(self, host: str, port: int, path: str, stop: asyncio.Event) -> None:
        reader, writer = await asyncio.open_connection(host, port, limit=1 << 20)
        head = f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nAccept: text/event-stream\r\n"
        writer.write(head.encode() + b"\r\n")
        await writer.drain()
        try:
            while not stop.is_set():
                try:
                    line = await asyncio.wait_for(reader.readline(), 1)
                except TimeoutError:
                    continue
                if not line:
                    return
                if line.startswith(b"retry:"):
                    self.connected.set()
                elif line.startswith(b"data: {"):
                    data = json.loads(line[6:])
                    if "thread_id" in data:  # a comment event
                        self.received.setdefault(data["id"], []).append(time.time())
        finally:
            writer.close()


def sign_in(site: Site) -> httpx.Client:
    client = httpx.Client(base_url=site.url, timeout=60)
    page = client.get("/accounts/sign-in/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token
    client.post("/accounts/sign-in/", data={"csrfmiddlewaretoken": token.group(1),
                "username": "member@example.com", "password": PASSWORD})  # fmt: skip
    client.headers["X-CSRFToken"] = client.cookies["csrftoken"]
    return client


def pages_per_second(site: Site, path: str, seconds: int = 5) -> float:
    """wrk against a page of the site (8 connections), or 0 without wrk."""
    if not shutil.which("wrk"):
        return 0.0
    out = subprocess.run(["wrk", "-t2", "-c8", f"-d{seconds}s", f"{site.url}{path}"],
                         capture_output=True, text=True, check=True).stdout  # fmt: skip
    found = re.search(r"Requests/sec:\s+([\d.]+)", out)
    return float(found.group(1)) if found else 0.0


async def measure(site: Site, readers: int, posts: int, gap: float) -> dict[str, object]:
    page = httpx.get(f"{site.url}/story/{STORY}/?sort=newest", timeout=60)
    found = re.search(r'data-live="[^"]*(/live/stories/\d+/)"', page.text)
    if not found:
        log = (site.folder / "server.log").read_text(errors="replace")[-3000:]
        raise SystemExit(f"no live stream on the story page ({page.status_code})\n{log}")
    story_page = f"/story/{STORY}/"
    quiet = await asyncio.to_thread(pages_per_second, site, story_page)
    stop = asyncio.Event()
    clients = [Reader() for _ in range(readers)]
    before = rss_mb(site.live_worker_pids())
    tasks = []
    for n, reader in enumerate(clients):
        tasks.append(
            asyncio.create_task(reader.run("127.0.0.1", site.live_port, found.group(1), stop))
        )
        if n % 200 == 199:
            await asyncio.sleep(0.05)  # open in waves, as readers arrive
    await asyncio.wait_for(asyncio.gather(*(r.connected.wait() for r in clients)), 120)
    await asyncio.sleep(1)
    # Streams open (each answered with its first line); /live/ counts one worker's only.
    held = sum(reader.connected.is_set() for reader in clients)
    after = rss_mb(site.live_worker_pids())
    loaded = await asyncio.to_thread(pages_per_second, site, story_page)
    poster = await asyncio.to_thread(sign_in, site)
    acknowledged: dict[int, float] = {}
    for n in range(posts):
        response = await asyncio.to_thread(
            poster.post, f"/api/comments/stories/{STORY}/comments",
            json={"text": f"Bench comment {n} {secrets.token_hex(4)}",
                  "token": secrets.token_hex(8)},
        )  # fmt: skip
        if response.status_code == 201:
            acknowledged[response.json()["id"]] = time.time()
        await asyncio.sleep(gap)
    await asyncio.sleep(3)
    stop.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    delays, missing, duplicated = [], 0, 0
    for reader in clients:
        for comment_id, at in acknowledged.items():
            times = reader.received.get(comment_id, [])
            if not times:
                missing += 1
                continue
            duplicated += len(times) - 1
            delays.append(max(0.0, times[0] - at) * 1000)
    delays.sort()
    return {
        "readers": readers, "connections held": held, "posts acknowledged": len(acknowledged),
        "memory per connection (KB)": round((after - before) * 1024 / readers, 1),
        "delay p50 (ms)": round(statistics.median(delays), 1) if delays else None,
        "delay p99 (ms)": round(delays[int(len(delays) * 0.99) - 1], 1) if delays else None,
        "delay max (ms)": round(delays[-1], 1) if delays else None,
        "missing per reader": missing / readers, "duplicated per reader": duplicated / readers,
        "story page req/s, no streams open": round(quiet),
        "story page req/s, streams open": round(loaded),
    }  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--readers", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--posts", type=int, default=20)
    parser.add_argument("--gap", type=float, default=0.5, help="seconds between posts")
    parser.add_argument("--live-workers", type=int, default=2)
    args = parser.parse_args()
    site = Site(args.live_workers)
    mode = "PostgreSQL + Redis" if os.environ.get("REDIS_URL") else "default (SQLite)"
    try:
        for readers in args.readers:
            result = asyncio.run(measure(site, readers, args.posts, args.gap))
            print(f"[{mode}, {args.live_workers} live workers] " + json.dumps(result), flush=True)
    finally:
        site.stop()


if __name__ == "__main__":
    main()
