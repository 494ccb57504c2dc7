"""Pages under each way of serving them, side by side in one run.

Starts the server in each mode in turn on the same database (two rounds, alternating),
loads it with wrk, and prints requests per second and each mode's ratio to plain WSGI:

    .venv/bin/python bench/serving_modes.py            # SQLite under a temporary var dir

Modes:
  wsgi         granian WSGI, 2 workers x 4 threads (the serving before live updates)
  asgi+a2wsgi  granian ASGI; /live/ served asynchronously, every other request handed to
               the WSGI app on a 4-thread pool per worker (a2wsgi): measured, not chosen
  django-asgi  granian ASGI with Django's own ASGI handler (sync views via sync_to_async)
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

MODES = {
    "wsgi": [
        "--interface",
        "wsgi",
        "--blocking-threads",
        "4",
        "broadsheet.config.wsgi:application",
    ],
    "asgi+a2wsgi": ["--interface", "asgi", "a2wsgi_front:application"],
    "django-asgi": ["--interface", "asginl", "django_asgi:application"],
}
# The mode measured and not chosen: one ASGI server for both, pages on a thread pool.
A2WSGI_SHIM = """import os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.config.settings")
from a2wsgi import WSGIMiddleware
from broadsheet.config.wsgi import application as django_application
from broadsheet.live.server import LIVE_PREFIX, live_application
pages = WSGIMiddleware(django_application, workers=4)
async def application(scope, receive, send):
    if scope["type"] == "lifespan" or scope["path"].startswith(LIVE_PREFIX):
        return await live_application(scope, receive, send)
    async def receive_coroutine():  # a2wsgi wants a coroutine, granian gives an awaitable
        return await receive()
    await pages(scope, receive_coroutine, send)
"""
DJANGO_ASGI_SHIM = """import os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.config.settings")
from django.core.asgi import get_asgi_application
application = get_asgi_application()
"""


def start(mode: str, port: int, env: dict[str, str]) -> subprocess.Popen[bytes]:
    granian = str(Path(sys.executable).parent / "granian")
    command = [granian, "--host", "127.0.0.1", "--port", str(port), "--workers", "2",
               "--backpressure", "64", "--log-level", "warning", *MODES[mode]]  # fmt: skip
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                time.sleep(6)  # both workers up, the moderation model loaded
                return process
        except httpx.HTTPError:
            time.sleep(0.3)
    process.kill()
    raise SystemExit(f"{mode} did not start")


def cpu_seconds(pid: int) -> float:
    """CPU time used by the server's processes (the main one and its workers) so far."""
    total = 0.0
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(proc.name) == pid or int(fields[1]) == pid:  # fields[1]: the parent's pid
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def wrk(url: str, seconds: int, connections: int, pid: int) -> tuple[float, float]:
    """Requests per second, and the server's CPU milliseconds per request."""
    before = cpu_seconds(pid)
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", url],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    used = cpu_seconds(pid) - before
    rate = re.search(r"Requests/sec:\s+([\d.]+)", out)
    count = re.search(r"(\d+) requests in", out)
    done = int(count.group(1)) if count else 0
    return (float(rate.group(1)) if rate else 0.0), (used * 1000 / done if done else 0.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--modes", default=",".join(MODES))
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("needs wrk: apt-get install -y wrk")

    var = Path(tempfile.mkdtemp(prefix="broadsheet-bench-"))
    shim = var / "shim"
    shim.mkdir()
    (shim / "django_asgi.py").write_text(DJANGO_ASGI_SHIM)
    (shim / "a2wsgi_front.py").write_text(A2WSGI_SHIM)
    env = {**os.environ, "BROADSHEET_VAR_DIR": str(var), "PYTHONPATH": str(shim),
           "DJANGO_SETTINGS_MODULE": "broadsheet.config.settings",
           "LOG_LEVEL": "WARNING"}  # fmt: skip
    os.environ.update(BROADSHEET_VAR_DIR=str(var))
    subprocess.run([sys.executable, "-m", "broadsheet.config.serve", "--prepare-only", "--demo"],
                   env=env, check=True)  # fmt: skip
    from thread_bench import prepare

    story_url, _ = prepare(comments=100, writers=5)
    port = 8190
    paths = {"/healthz": "/healthz", "story, 100 comments": story_url, "front page": "/"}
    import django

    from broadsheet.stories.models import Story

    django.setup()
    story = Story.objects.get(slug="bench-thread-1000")
    paths["API thread page"] = f"/api/comments/stories/{story.slug}/thread"
    results: dict[str, dict[str, list[float]]] = {}
    cpu_results: dict[str, dict[str, list[float]]] = {}
    for _ in range(args.rounds):
        for mode in args.modes.split(","):
            process = start(mode, port, env)
            try:
                for name, path in paths.items():
                    url = f"http://127.0.0.1:{port}{path}"
                    rate, cpu = wrk(url, args.seconds, args.connections, process.pid)
                    results.setdefault(name, {}).setdefault(mode, []).append(rate)
                    cpu_results.setdefault(name, {}).setdefault(mode, []).append(cpu)
                    print(f"{mode:12} {name:22} {rate:9,.0f} req/s {cpu:7.2f} ms CPU/request",
                          flush=True)  # fmt: skip
            finally:
                process.terminate()
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
    modes = args.modes.split(",")
    print(f"\nreq/s (best of {args.rounds} rounds; wrk -c{args.connections} -d{args.seconds}s)")
    print("| page | " + " | ".join(modes) + " |")
    print("|---" * (len(modes) + 1) + "|")
    for name, by_mode in results.items():
        base = max(by_mode[modes[0]])
        cells = [f"{max(by_mode[m]):,.0f} ({max(by_mode[m]) / base:.2f}x)" for m in modes]
        print(f"| {name} | " + " | ".join(cells) + " |")
    print(f"\nserver CPU ms per request (least of {args.rounds} rounds; steadier than req/s "
          "on a busy machine)")  # fmt: skip
    print("| page | " + " | ".join(modes) + " |")
    print("|---" * (len(modes) + 1) + "|")
    for name, by_mode in cpu_results.items():
        base = min(by_mode[modes[0]])
        cells = [f"{min(by_mode[m]):.2f} ({min(by_mode[m]) / base:.2f}x)" for m in modes]
        print(f"| {name} | " + " | ".join(cells) + " |")
    shutil.rmtree(var, ignore_errors=True)


if __name__ == "__main__":
    main()
