"""Load a story with 1,000 comments and measure reading its thread and posting to it.

Run it against a server started as the README starts it (`make serve`), with the same
environment (DATABASE_URL, REDIS_URL) so the script writes its story where the server reads:

    make serve PORT=8104 &
    .venv/bin/python bench/thread_bench.py --url http://127.0.0.1:8104

It creates (once) the story `bench-thread-1000` with 1,000 comments (a third top-level,
the rest replies) and a pool of readers allowed to comment, then reports requests per
second and p50/p99 latency for:
  - the story page (visitor, and a signed-in reader), first page of comments;
  - the API thread page;
  - posting a comment through the API (each reader posts once, so the rate limit holds).
Every loop is bounded by a request count and a time limit.
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.config.settings")

SLUG = "bench-thread-1000"
PASSWORD = "bench-password-not-secret"


def prepare(comments: int, writers: int) -> tuple[str, list[str]]:
    """The bench story (created once) and a session cookie for each commenting reader."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import transaction
    from django.utils import timezone

    from broadsheet.accounts.display_names import display_name_key
    from broadsheet.accounts.models import User
    from broadsheet.comments.demo import recount
    from broadsheet.comments.models import Comment
    from broadsheet.stories.models import Section, Story
    from broadsheet.subscriptions.models import Plan, Subscription

    assert "sessions" in settings.SESSION_ENGINE
    now = timezone.now()
    plan = Plan.objects.filter(may_comment=True).first()
    if plan is None:
        raise SystemExit("No plan includes commenting: run `manage.py seed_demo` first.")
    readers = []
    with transaction.atomic():
        for n in range(writers):
            email = f"bench-reader-{n}@example.com"
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(email, PASSWORD)
                name = f"Bench Reader {n}"
                user.display_name, user.display_name_key = name, display_name_key(name)
                user.save()
                Subscription.objects.create(
                    reader=user,
                    plan=plan,
                    status=Subscription.Status.ACTIVE,
                    started_at=now,
                    current_period_end=now + timedelta(days=365),
                )
            readers.append(user)
        section = Section.objects.order_by("pk").first() or Section.objects.create(
            name="Bench", slug="bench"
        )
        story, _ = Story.objects.get_or_create(
            slug=SLUG,
            defaults={
                "headline": "A story with a thousand comments",
                "body": "Measured.",
                "body_html": "<p>Measured.</p>",
                "section": section,
                "status": Story.Status.PUBLISHED,
                "published_at": now - timedelta(hours=1),
            },
        )
        missing = comments - Comment.objects.filter(story=story).count()
        if missing > 0:
            authors = readers
            tops = Comment.objects.bulk_create(
                Comment(story=story, author=authors[n % len(authors)],
                        body=f"Top-level comment {n}", body_html=f"<p>Top-level comment {n}</p>")
                for n in range(max(1, missing // 3))
            )  # fmt: skip
            Comment.objects.bulk_create(
                Comment(story=story, author=authors[(n + 1) % len(authors)],
                        parent=tops[n % len(tops)], root=tops[n % len(tops)], depth=2,
                        body=f"Reply {n}", body_html=f"<p>Reply {n}</p>")
                for n in range(missing - len(tops))
            )  # fmt: skip
            recount()
    cookies = []
    for user in readers:
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "broadsheet.accounts.backends.ReaderBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        assert session.session_key is not None
        cookies.append(session.session_key)
    return story.get_absolute_url(), cookies


def cleanup() -> None:
    """Take the posted comments away again, so every run reads the same 1,000."""
    from broadsheet.comments.demo import recount
    from broadsheet.comments.models import Comment

    Comment.objects.filter(story__slug=SLUG, body__startswith="Bench comment ").delete()
    recount()


@dataclass
class Result:
    name: str
    latencies: list[float]
    seconds: float
    errors: int

    def line(self) -> str:
        ok = sorted(self.latencies)
        if not ok:
            return f"{self.name:<34} no successful requests ({self.errors} errors)"
        p50 = statistics.median(ok) * 1000
        p99 = ok[min(len(ok) - 1, int(len(ok) * 0.99))] * 1000
        rate = len(ok) / self.seconds
        return (
            f"{self.name:<34} {rate:8.1f} req/s   p50 {p50:7.1f} ms   p99 {p99:7.1f} ms"
            f"   ({len(ok)} ok, {self.errors} errors)"
        )


def _ms(text: str) -> float:
    value = float(text.rstrip("mus"))
    unit = text.lstrip("0123456789.")
    return value * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def run_wrk(name: str, url: str, *, concurrency: int, seconds: float, cookie: str = "") -> str:
    """The same read measured by wrk (C, no GIL on the client side), when it is installed."""
    command = ["wrk", "-t2", f"-c{concurrency}", f"-d{max(1, int(seconds))}s", "--latency", url]
    if cookie:
        command[1:1] = ["-H", f"Cookie: sessionid={cookie}"]
    output = subprocess.run(
        command, capture_output=True, text=True, check=True, timeout=seconds + 30
    )
    rate = re.search(r"Requests/sec:\s+([\d.]+)", output.stdout)
    p50 = re.search(r"50%\s+([\d.]+\w+)", output.stdout)
    p99 = re.search(r"99%\s+([\d.]+\w+)", output.stdout)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output.stdout)
    if not (rate and p50 and p99):
        return f"{name:<34} wrk gave no figures"
    return (
        f"{name:<34} {float(rate.group(1)):8.1f} req/s   p50 {_ms(p50.group(1)):7.1f} ms"
        f"   p99 {_ms(p99.group(1)):7.1f} ms   (wrk, {errors.group(1) if errors else 0} errors)"
    )


def run(
    name: str,
    send: Callable[[httpx.Client, int], httpx.Response],
    *,
    requests: int,
    concurrency: int,
    limit_seconds: float,
    make_client: Callable[[int], httpx.Client],
    expect: int = 200,
) -> Result:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    counter = iter(range(requests))
    deadline = time.perf_counter() + limit_seconds

    def worker(slot: int) -> None:
        nonlocal errors
        with make_client(slot) as client:
            while time.perf_counter() < deadline:
                with lock:
                    n = next(counter, None)
                if n is None:
                    return
                start = time.perf_counter()
                try:
                    response = send(client, n)
                    good = response.status_code == expect
                except httpx.HTTPError:
                    good = False
                took = time.perf_counter() - start
                with lock:
                    if good:
                        latencies.append(took)
                    else:
                        errors += 1

    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=concurrency) as pool:
        list(pool.map(worker, range(concurrency)))
    return Result(name, latencies, time.perf_counter() - started, errors)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--requests", type=int, default=2000, help="per read scenario")
    parser.add_argument("--posts", type=int, default=300, help="comments to post")
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=30, help="time limit per scenario")
    args = parser.parse_args()

    path, sessions = prepare(1000, max(args.posts, args.concurrency))
    base = args.url.rstrip("/")
    httpx.get(base + "/api/health", timeout=10).raise_for_status()

    def visitor(slot: int) -> httpx.Client:
        return httpx.Client(base_url=base, timeout=30)

    def reader(slot: int) -> httpx.Client:
        client = httpx.Client(base_url=base, timeout=30)
        client.cookies.set("sessionid", sessions[slot % len(sessions)])
        client.cookies.set("csrftoken", "b" * 32)
        client.headers["X-CSRFToken"] = "b" * 32
        client.headers["Referer"] = base + path
        return client

    common = {"concurrency": args.concurrency, "limit_seconds": args.seconds}
    results = [
        run("story page, visitor", lambda c, n: c.get(path), requests=args.requests,
            make_client=visitor, **common),
        run("story page, signed-in reader", lambda c, n: c.get(path), requests=args.requests,
            make_client=reader, **common),
        run("API thread page", lambda c, n: c.get(f"/api/comments/stories/{SLUG}/thread"),
            requests=args.requests, make_client=visitor, **common),
        run("API thread page, most recommended",
            lambda c, n: c.get(f"/api/comments/stories/{SLUG}/thread?sort=recommended"),
            requests=args.requests, make_client=visitor, **common),
    ]  # fmt: skip

    stamp = int(time.time())

    def post(client: httpx.Client, n: int) -> httpx.Response:
        # One post per reader: each request carries its own reader's session.
        client.cookies.set("sessionid", sessions[n % len(sessions)])
        return client.post(
            f"/api/comments/stories/{SLUG}/comments",
            json={"text": f"Bench comment {stamp}-{n}: the **numbers** look right."},
        )

    results.append(
        run("post a comment (API)", post, requests=args.posts, make_client=reader,
            expect=201, **common)
    )  # fmt: skip
    cleanup()
    lines = [result.line() for result in results]
    if shutil.which("wrk"):
        wrk = {"concurrency": args.concurrency, "seconds": min(args.seconds, 15)}
        lines += [
            run_wrk("story page, visitor", base + path, **wrk),
            run_wrk("story page, signed-in reader", base + path, cookie=sessions[0], **wrk),
            run_wrk("API thread page", f"{base}/api/comments/stories/{SLUG}/thread", **wrk),
        ]
    print(f"{base}{path} — 1,000-comment story, {args.concurrency} concurrent clients")
    for line in lines:
        print(line)


if __name__ == "__main__":
    main()
