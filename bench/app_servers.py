"""Requests per second through nginx with one, two and three app servers, in one run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres REDIS_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python bench/app_servers.py [--seconds 10] [--connections 32] [--hold]

Starts three app servers (one page worker each, as tests/production/ does) on one
PostgreSQL database and one Redis, and nginx in front with deploy/nginx's configuration;
then, with nginx pointing at the first one, two and three servers, runs wrk against:
- a story page as a visitor with a session cookie (so nginx's page cache is bypassed and
  every request reaches an app server),
- the same page as a plain visitor (nginx's cache serves it when the app allows),
- /healthz (the cheapest request, for the ratio).
--hold keeps everything running (and prints the addresses) until Ctrl-C.
"""

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "src")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.config.settings")

import django  # noqa: E402

django.setup()

from tests.production.cluster import Cluster, Nginx  # noqa: E402

STORY = "/story/city-council-approves-night-bus-network/"


def wrk(url: str, seconds: int, connections: int, header: str | None = None) -> float:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if header:
        command[1:1] = ["-H", header]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        print(f"    ({errors.group(1)} error responses)", flush=True)
    found = re.search(r"Requests/sec:\s+([\d.]+)", out)
    assert found, out
    return float(found.group(1))


def _stop(signum: int, _frame: object) -> None:
    raise KeyboardInterrupt


def main() -> None:
    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--hold", action="store_true")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("needs wrk: apt-get install -y wrk")
    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        sys.exit("needs PostgreSQL and Redis: set DATABASE_URL and REDIS_URL")
    folder = Path(tempfile.mkdtemp(prefix="broadsheet-app-servers-"))
    env = {"LIVE_URL": "", "COMMENT_RATE_LIMIT_SECONDS": "0", "SERVER_LOG_LEVEL": "error"}
    started = time.monotonic()
    cluster = Cluster(folder, 3, env).start()
    print(f"3 app servers started in {time.monotonic() - started:.0f} s", flush=True)
    servers = cluster.servers
    try:
        if args.hold:
            nginx = Nginx(folder / "nginx", pages=[s.port for s in servers],
                          live=[s.live_port for s in servers],
                          static_root=servers[0].var_dir / "static").start()  # fmt: skip
            print(f"nginx: {nginx.url}  servers: {[s.url for s in servers]}  logs: {folder}")
            try:
                while True:
                    time.sleep(60)
            finally:
                nginx.stop()
        print(f"wrk: {args.seconds} s, {args.connections} connections, 2 threads; requests/s")
        print("| app servers | story page, cache bypassed | story page, visitor | /healthz |")
        print("| --- | --- | --- | --- |")
        for count in (1, 2, 3):
            chosen = servers[:count]
            nginx = Nginx(folder / f"nginx-{count}", pages=[s.port for s in chosen],
                          live=[s.live_port for s in chosen],
                          static_root=servers[0].var_dir / "static").start()  # fmt: skip
            try:
                signed = "Cookie: sessionid=bench"  # an unknown session: a visitor, not cached
                wrk(nginx.url + STORY, 2, args.connections, signed)  # warm up
                page = wrk(nginx.url + STORY, args.seconds, args.connections, signed)
                cached = wrk(nginx.url + STORY, args.seconds, args.connections)
                health = wrk(nginx.url + "/healthz", args.seconds, args.connections)
            finally:
                nginx.stop()
            print(f"| {count} | {page:,.0f} | {cached:,.0f} | {health:,.0f} |", flush=True)
    finally:
        cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
