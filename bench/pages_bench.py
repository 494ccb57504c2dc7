"""Pages against /healthz in one run: requests per second, server CPU, cold cache, memory.

Starts the site as `make serve` does (`python -m broadsheet.config.serve`: the pages on
granian, WORKERS processes of THREADS threads, and the live server), on SQLite in a
temporary folder by default, or on PostgreSQL + Redis with `--postgres URL --redis URL`,
and for each page runs wrk (`-c16`, `--seconds` each, `--rounds` rounds) and reports:

- requests per second and the ratio to /healthz measured in the same round;
- server CPU per request: the page server's processes (from /proc), and with PostgreSQL
  also the database's own backends for this database, counted apart;
- the first request after a change to a 10,000-comment thread (cold cache), one at a time;
- resident memory of each page worker, after the moderation model is loaded.

    .venv/bin/python bench/pages_bench.py                       # SQLite, embedded cache
    .venv/bin/python bench/pages_bench.py \\
        --postgres postgres://postgres@127.0.0.1:5432/h_speed_pages --redis redis://127.0.0.1:6379/2

`--json FILE` also writes the figures for bench/capacity.py.
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.config.settings")

BIG = "bench-thread-10000"
TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def descendants(pid: int) -> list[int]:
    """`pid` and every process under it (serve -> granian -> its workers)."""
    parents: dict[int, int] = {}
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit() and (fields := _stat(int(proc.name))) is not None:
            parents[int(proc.name)] = int(fields[1])
    found, frontier = [pid], [pid]
    while frontier:
        frontier = [child for child, parent in parents.items() if parent in frontier]
        found += frontier
    return found


def cpu_seconds(pids: list[int]) -> float:
    total = 0.0
    for pid in pids:
        if (fields := _stat(pid)) is not None:
            total += (int(fields[11]) + int(fields[12])) / TICK
    return total


def postgres_backends(database: str) -> list[int]:
    """The PostgreSQL backends serving `database` (their title names it)."""
    pids = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            title = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if title.startswith("postgres: ") and f" {database} " in title:
            pids.append(int(proc.name))
    return pids


def rss_mb(pid: int) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0.0
    found = re.search(r"VmRSS:\s+(\d+) kB", status)
    return int(found.group(1)) / 1024 if found else 0.0


def wrk(url: str, seconds: int, connections: int, cookie: str = "") -> tuple[float, int, str]:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: sessionid={cookie}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    count = re.search(r"(\d+) requests in", out)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    note = f"{errors.group(1)} non-2xx" if errors else ""
    return (float(rate.group(1)) if rate else 0.0), (int(count.group(1)) if count else 0), note


class Site:
    """The site as `make serve` runs it, on a port of ours."""

    def __init__(self, port: int, env: dict[str, str]) -> None:
        self.port, self.env = port, env
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> "Site":
        self.process = subprocess.Popen(
            [sys.executable, "-m", "broadsheet.config.serve"],
            env={**self.env, "PORT": str(self.port), "HOST": "127.0.0.1"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 300  # a busy machine starts slowly
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/healthz", timeout=2).status_code == 200:
                    time.sleep(8)  # every worker up and the moderation model loaded
                    return self
            except httpx.HTTPError:
                time.sleep(0.3)
        self.__exit__()
        raise SystemExit("the site did not start")

    def __exit__(self, *_: object) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def page_workers(self) -> list[int]:
        """The page server's worker processes: those under the WSGI granian."""
        assert self.process is not None
        for pid in descendants(self.process.pid):
            try:
                command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
            except OSError:
                continue
            if b"granian" in command and b"--interface wsgi" in command:
                return descendants(pid)[1:]
        return []


def prepare_big(comments: int) -> str:
    """A story with `comments` comments (created once), for the cold-cache figure."""
    from django.db import transaction
    from django.utils import timezone

    from broadsheet.accounts.models import User
    from broadsheet.comments.demo import recount
    from broadsheet.comments.models import Comment
    from broadsheet.stories.models import Section, Story

    authors = list(User.objects.filter(email__startswith="bench-reader-"))
    now = timezone.now()
    with transaction.atomic():
        story, _ = Story.objects.get_or_create(
            slug=BIG,
            defaults={
                "headline": "A story with ten thousand comments",
                "body": "Measured.",
                "body_html": "<p>Measured.</p>",
                "section": Section.objects.order_by("pk").first(),
                "status": Story.Status.PUBLISHED,
                "published_at": now - timedelta(hours=2),
            },
        )
        missing = comments - Comment.objects.filter(story=story).count()
        if missing > 0:
            tops = Comment.objects.bulk_create(
                Comment(story=story, author=authors[n % len(authors)],
                        body=f"Top-level comment {n}", body_html=f"<p>Top-level comment {n}</p>")
                for n in range(max(1, missing // 3))
            )  # fmt: skip
            Comment.objects.bulk_create(
                (Comment(story=story, author=authors[(n + 1) % len(authors)],
                         parent=tops[n % len(tops)], root=tops[n % len(tops)], depth=2,
                         body=f"Reply {n}", body_html=f"<p>Reply {n}</p>")
                 for n in range(missing - len(tops))),
                batch_size=2000,
            )  # fmt: skip
            recount()
    return story.get_absolute_url()


def cold_requests(site: Site, slug: str, path: str, times: int = 7) -> list[float]:
    """Milliseconds for the first request after a change to the thread, `times` times."""
    from django.db.models import F

    from broadsheet.stories.models import Story

    took = []
    with httpx.Client(base_url=site.url, timeout=30) as client:
        client.get(path)
        for _ in range(times):
            # What every write does to the thread's cache key (comments/services.py).
            Story.objects.filter(slug=slug).update(comment_version=F("comment_version") + 1)
            started = time.perf_counter()
            response = client.get(path)
            took.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
            time.sleep(0.2)
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--port", type=int, default=9210)
    parser.add_argument("--postgres", default="", help="DATABASE_URL of a database to use")
    parser.add_argument("--redis", default="", help="REDIS_URL to use")
    parser.add_argument("--big", type=int, default=10_000, help="comments in the cold thread")
    parser.add_argument("--json", default="", help="write the figures to this file")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("needs wrk: apt-get install -y wrk")

    var = Path(tempfile.mkdtemp(prefix="broadsheet-pages-bench-"))
    env = {**os.environ, "BROADSHEET_VAR_DIR": str(var), "LOG_LEVEL": "WARNING",
           "DJANGO_SETTINGS_MODULE": "broadsheet.config.settings",
           "CACHE_KEY_PREFIX": "pages-bench"}  # fmt: skip
    if args.postgres:
        env["DATABASE_URL"] = args.postgres
    if args.redis:
        env["REDIS_URL"] = args.redis
    os.environ.update({k: v for k, v in env.items() if k != "PORT"})
    subprocess.run([sys.executable, "-m", "broadsheet.config.serve", "--prepare-only", "--demo"],
                   env=env, check=True, stdout=subprocess.DEVNULL)  # fmt: skip
    from thread_bench import prepare

    story_url, cookies = prepare(comments=100, writers=5)
    big_url = prepare_big(args.big)
    from django.conf import settings

    from broadsheet.stories.models import Section

    database = settings.DATABASES["default"]["NAME"] if args.postgres else ""
    section = Section.objects.order_by("pk").first()
    assert section is not None
    api = "/api/comments/stories/bench-thread-1000/thread"
    pages = {
        "/healthz": ("/healthz", ""),
        "story, 100 comments, visitor": (story_url, ""),
        "front page, visitor": ("/", ""),
        "section page, visitor": (section.get_absolute_url(), ""),
        "story, 100 comments, signed in": (story_url, cookies[0]),
        "API thread page, visitor": (api, ""),
    }
    rates: dict[str, list[float]] = {name: [] for name in pages}
    ratios: dict[str, list[float]] = {name: [] for name in pages}
    app_cpu: dict[str, list[float]] = {name: [] for name in pages}
    db_cpu: dict[str, list[float]] = {name: [] for name in pages}
    mode = "PostgreSQL + Redis" if args.postgres else "SQLite + embedded cache"
    print(f"{mode}; wrk -c{args.connections} -d{args.seconds}s, {args.rounds} rounds", flush=True)
    with Site(args.port, env) as site:
        for _ in range(args.rounds):
            base = 0.0
            for name, (path, cookie) in pages.items():
                wrk(site.url + path, 2, args.connections, cookie)  # warm the caches
                tree = descendants(site.process.pid) if site.process else []
                backends = postgres_backends(database) if database else []
                before, db_before = cpu_seconds(tree), cpu_seconds(backends)
                rate, done, note = wrk(site.url + path, args.seconds, args.connections, cookie)
                used = cpu_seconds(tree) - before
                db_used = cpu_seconds(backends) - db_before
                base = base or rate
                rates[name].append(rate)
                ratios[name].append(rate / base)
                app_cpu[name].append(used * 1000 / max(done, 1))
                db_cpu[name].append(db_used * 1000 / max(done, 1))
                db_note = f"  db {db_cpu[name][-1]:5.2f} ms" if database else ""
                print(f"  {name:32} {rate:8,.0f} req/s  {rate / base:5.0%} of /healthz"
                      f"  app {app_cpu[name][-1]:5.2f} ms CPU{db_note}  {note}",
                      flush=True)  # fmt: skip
        cold_page = cold_requests(site, BIG, big_url)
        cold_api = cold_requests(site, BIG, f"/api/comments/stories/{BIG}/thread")
        workers = site.page_workers()
        memory = [rss_mb(pid) for pid in workers]

    print(f"\n{mode}: best of {args.rounds} rounds (ratio: in the same round)")
    print(
        "| page | req/s | of /healthz | app CPU ms/request |"
        + (" PostgreSQL CPU ms/request |" if database else "")
    )
    print("|---|---|---|---|" + ("---|" if database else ""))
    for name in pages:
        db = f" {min(db_cpu[name]):.2f} |" if database else ""
        print(f"| {name} | {max(rates[name]):,.0f} | {max(ratios[name]):.0%} | "
              f"{min(app_cpu[name]):.2f} |{db}")  # fmt: skip
    print(f"\ncold cache, {args.big:,} comments, first request after a change (ms): page "
          f"median {statistics.median(cold_page):.1f} (max {max(cold_page):.1f}), API thread "
          f"median {statistics.median(cold_api):.1f} (max {max(cold_api):.1f})")  # fmt: skip
    print("resident memory per page worker (MB, model loaded): "
          + ", ".join(f"{m:.0f}" for m in memory))  # fmt: skip
    if args.json:
        Path(args.json).write_text(json.dumps({
            "mode": mode,
            "pages": {name: {"rps": max(rates[name]), "ratio": max(ratios[name]),
                             "app_cpu_ms": min(app_cpu[name]), "db_cpu_ms": min(db_cpu[name])}
                      for name in pages},
            "cold_ms": {"page": statistics.median(cold_page), "api": statistics.median(cold_api)},
            "thread_size": args.big,
            "rss_mb": memory,
        }, indent=2))  # fmt: skip
    shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    main()
