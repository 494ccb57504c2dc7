"""New comments per second against Isso 0.14, side by side in one run.

Starts the site as the README starts it (`make serve`, with the same environment, so
SQLite under var/ by default, PostgreSQL + Redis when DATABASE_URL and REDIS_URL are set)
and Isso 0.14 under gunicorn (`-w 4 -k sync --preload`, its guard off), then alternates
wrk runs against the two (8 connections, 15 s, two rounds by default) and prints for each:
comments per second, p50/p99 latency, the server's CPU per comment (read from /proc for the
server's whole process tree), and afterwards checks that every acknowledged comment (each
201 with its id) is stored exactly once.

Broadsheet is posted to through the JSON API a reader's browser uses, by a pool of
commenting readers (one session each, taken in turn), with only the comment rate limits
switched off (COMMENT_RATE_LIMIT_SECONDS=0 COMMENT_BURST_PER_HOUR=0), as Isso's guard is:
the gate, the duplicate check, moderation with the model, Markdown, counts, events and
the notifications fan-out all run.

Isso is not a dependency of this project; install it in a virtual environment of its own,
outside the repository, and point --isso at it:

    python3 -m venv /work/wt/isso-venv
    /work/wt/isso-venv/bin/pip install isso==0.14 gunicorn
    .venv/bin/python bench/posting_bench.py --isso /work/wt/isso-venv
    DATABASE_URL=postgres://... REDIS_URL=redis://... .venv/bin/python bench/posting_bench.py ...

--profile PATH also records the first Broadsheet run with py-spy (collapsed stacks in
PATH) and prints where the pages workers' time went; --only broadsheet skips Isso.
"""

import argparse
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.config.settings")

SLUG = "bench-posting"
# Civil comments of the length readers write, with some Markdown; each post adds a marker.
TEXTS = [
    "The council's figures look right to me, but the **bus timetable** still needs work.",
    "I live near the harbour and the reopening made a real difference to the cafés here.",
    "Good reporting. It would help to see last year's numbers beside these, for comparison.",
    "My daughter's school had the same problem in 2019; the fix was *cheaper* than expected.",
    "Does anyone know whether the consultation is still open? The page says it closed.",
    "Two points: the budget was set before the floods, and the audit has not been published.",
    "This is the third story on the bridge this month and I am still not sure who pays.",
    "Thanks for including the map. The new cycle lane ends exactly where it is most needed.",
]
BROADSHEET_LUA = """
local sessions = {SESSIONS}
local path = "{PATH}"
local run = "{RUN}"
local counter = 0
acks = {{}}
statuses = {{}}
local texts = {TEXTS}
local threads = {{}}
function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end
function request()
  counter = counter + 1
  local session = sessions[(counter + tid * 7) % #sessions + 1]
  local text = texts[counter % #texts + 1] .. " [" .. run .. "-" .. tid .. "-" .. counter .. "]"
  local headers = {{}}
  headers["Content-Type"] = "application/json"
  headers["Cookie"] = "sessionid=" .. session .. "; csrftoken={CSRF}"
  headers["X-CSRFToken"] = "{CSRF}"
  headers["Referer"] = "{BASE}/"
  return wrk.format("POST", path, headers, '{{"text": "' .. text .. '"}}')
end
"""
ISSO_LUA = """
local path = "{PATH}"
local run = "{RUN}"
local counter = 0
acks = {{}}
statuses = {{}}
local texts = {TEXTS}
local threads = {{}}
function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end
function request()
  counter = counter + 1
  local text = texts[counter % #texts + 1] .. " [" .. run .. "-" .. tid .. "-" .. counter .. "]"
  local headers = {{}}
  headers["Content-Type"] = "application/json"
  local body = '{{"text": "' .. text .. '", "author": "Bench Reader", "title": "Bench"}}'
  return wrk.format("POST", path, headers, body)
end
"""
# Shared by both: keep each acknowledged id, count statuses, print them at the end.
LUA_TAIL = """
function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
  if status == 201 then
    local id = string.match(body, '"id":%s*(%d+)')
    if id then table.insert(acks, id) end
  end
end
function done(summary, latency, requests)
  io.write(string.format("LATENCY %d %d\\n", latency:percentile(50), latency:percentile(99)))
  for _, thread in ipairs(threads) do
    local ids = thread:get("acks")
    io.write("ACKS " .. table.concat(ids, ",") .. "\\n")
    for status, n in pairs(thread:get("statuses")) do
      io.write("STATUS " .. status .. " " .. n .. "\\n")
    end
  end
end
"""


def lua_list(values: list[str]) -> str:
    return "{" + ", ".join(json.dumps(value, ensure_ascii=False) for value in values) + "}"


def process_tree(root: int) -> list[int]:
    """`root` and every process descended from it."""
    children: dict[int, list[int]] = {}
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            parent = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError):
            continue
        children.setdefault(parent, []).append(int(proc.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def cpu_by_part(root: int) -> dict[str, float]:
    """CPU seconds used so far by the server's processes: pages, live streams, the rest."""
    parts: dict[str, float] = {"pages": 0.0, "live": 0.0, "other": 0.0}
    for pid in process_tree(root):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:
            continue
        part = "live" if b"interface asgi" in command else "pages"
        part = part if b"granian" in command else "other"
        parts[part] += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return parts


def cpu_seconds(root: int) -> float:
    """CPU time used so far by the server's processes (the supervisor, servers, workers)."""
    return sum(cpu_by_part(root).values())


@dataclass
class Run:
    target: str
    rate: float
    p50_ms: float
    p99_ms: float
    cpu_ms: float
    idle_ms: float  # of cpu_ms, what the server spends idle (live server polling, timers)
    acked: list[int]
    statuses: Counter[str] = field(default_factory=Counter)
    parts: dict[str, float] = field(default_factory=dict)  # CPU ms per comment by process

    def line(self) -> str:
        other = {k: v for k, v in self.statuses.items() if k != "201"}
        return (
            f"{self.target:10} {self.rate:8.1f} comments/s   p50 {self.p50_ms:6.1f} ms   "
            f"p99 {self.p99_ms:6.1f} ms   CPU {self.cpu_ms:5.2f} ms/comment "
            f"(idle {self.idle_ms:4.2f})   "
            f"({len(self.acked)} acknowledged{', other: ' + str(other) if other else ''})"
            + ("   CPU by part: " + ", ".join(f"{k} {v:.2f}" for k, v in self.parts.items())
               if self.target == "broadsheet" else "")
        )  # fmt: skip


def wrk(target: str, url: str, script: str, seconds: int, connections: int, pid: int) -> Run:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
        handle.write(script + LUA_TAIL)
    # What the server burns doing nothing, per second, measured just before.
    before = cpu_seconds(pid)
    time.sleep(3)
    idle_rate = (cpu_seconds(pid) - before) / 3
    before_parts = cpu_by_part(pid)
    before = sum(before_parts.values())
    done_wrk = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "-s", handle.name, url],
        capture_output=True, text=True, timeout=seconds + 60,
    )  # fmt: skip
    after_parts = cpu_by_part(pid)
    used = sum(after_parts.values()) - before
    os.unlink(handle.name)
    if "LATENCY" not in done_wrk.stdout:
        raise SystemExit(f"wrk gave no figures:\n{done_wrk.stdout}\n{done_wrk.stderr}")
    out = done_wrk.stdout
    count = re.search(r"(\d+) requests in ([\d.]+)(m?s)", out)
    latency = re.search(r"LATENCY (\d+) (\d+)", out)
    acked = [int(n) for line in re.findall(r"ACKS ([\d,]*)", out) for n in line.split(",") if n]
    statuses = Counter({m[0]: int(m[1]) for m in re.findall(r"STATUS (\d+) (\d+)", out)})
    done = int(count.group(1)) if count else 0
    took = float(count.group(2)) / (1000 if count and count.group(3) == "ms" else 1) if count else 1
    return Run(
        target,
        rate=len(acked) / took,
        p50_ms=int(latency.group(1)) / 1000 if latency else 0.0,
        p99_ms=int(latency.group(2)) / 1000 if latency else 0.0,
        cpu_ms=used * 1000 / done if done else 0.0,
        idle_ms=idle_rate * took * 1000 / done if done else 0.0,
        parts={k: (after_parts[k] - before_parts[k]) * 1000 / max(done, 1) for k in after_parts},
        acked=acked,
        statuses=statuses,
    )


def wait_for(url: str, process: subprocess.Popen[bytes], seconds: float = 180) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"the server at {url} ended while starting")
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"{url} did not answer")


def settle(pid: int, seconds: float = 300) -> None:
    """Wait until the server is idle (workers started, the moderation model loaded)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        before = cpu_seconds(pid)
        time.sleep(1)
        if cpu_seconds(pid) - before < 0.05:
            return


def stop(process: subprocess.Popen[bytes]) -> None:
    """End a server started in its own session, with everything it started."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(20)
    except ProcessLookupError:
        return
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


# --- Broadsheet -----------------------------------------------------------------------------


def start_broadsheet(port: int, workers: int, threads: int, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "COMMENT_RATE_LIMIT_SECONDS": "0", "COMMENT_BURST_PER_HOUR": "0"}
    process = subprocess.Popen(
        ["make", "--no-print-directory", "serve", f"PORT={port}", f"WORKERS={workers}",
         f"THREADS={threads}"],
        cwd=ROOT, env=env, start_new_session=True, stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )  # fmt: skip
    wait_for(f"http://127.0.0.1:{port}/healthz", process)
    return process


def prepare_broadsheet(readers: int) -> tuple[str, list[str]]:
    """The bench story and one signed-in session per commenting reader (as thread_bench)."""
    import django

    django.setup()
    from django.db import transaction
    from django.utils import timezone
    from thread_bench import prepare

    from broadsheet.stories.models import Section, Story

    _, sessions = prepare(comments=0, writers=readers)
    with transaction.atomic():
        Story.objects.get_or_create(
            slug=SLUG,
            defaults={
                "headline": "A story readers are commenting on",
                "body": "Measured.",
                "body_html": "<p>Measured.</p>",
                "section": Section.objects.order_by("pk").first(),
                "status": Story.Status.PUBLISHED,
                "published_at": timezone.now(),
            },
        )
    return f"/api/comments/stories/{SLUG}/comments", sessions


def broadsheet_stored(run: str) -> Counter[int]:
    """How many rows hold each comment posted in `run`, by id (the marker is unique)."""
    from broadsheet.comments.models import Comment

    rows = Comment.objects.filter(story__slug=SLUG, body__contains=f"[{run}-")
    by_body = Counter(rows.values_list("body", flat=True))
    return Counter({pk: by_body[body] for pk, body in rows.values_list("pk", "body")})


# --- Isso -----------------------------------------------------------------------------------

ISSO_CONFIG = """[general]
dbpath = {DB}
host = http://127.0.0.1:{PORT}/
[moderation]
enabled = false
[guard]
enabled = false
[server]
listen = http://127.0.0.1:{PORT}/
"""


def start_isso(venv: Path, port: int, var: Path) -> tuple[subprocess.Popen[bytes], Path]:
    db = var / "isso.db"
    config = var / "isso.cfg"
    config.write_text(ISSO_CONFIG.format(DB=db, PORT=port))
    env = {**os.environ, "ISSO_SETTINGS": str(config)}
    process = subprocess.Popen(
        [str(venv / "bin" / "gunicorn"), "-w", "4", "-k", "sync", "--preload",
         "-b", f"127.0.0.1:{port}", "--log-level", "warning", "isso.run"],
        env=env, start_new_session=True, stdout=subprocess.DEVNULL,
        stderr=(var / "isso.log").open("w"),  # it logs every comment
    )  # fmt: skip
    wait_for(f"http://127.0.0.1:{port}/info", process)
    # The thread first, alone: Isso creates it on the first post, one process at a time.
    httpx.post(f"http://127.0.0.1:{port}/new?uri=%2Fbench-posting",
               json={"text": "First.", "title": "Bench"},
               timeout=10).raise_for_status()  # fmt: skip
    return process, db


def isso_stored(db: Path, run: str) -> Counter[int]:
    with sqlite3.connect(db) as connection:
        rows = connection.execute(
            "SELECT id, text FROM comments WHERE text LIKE ?", (f"%[{run}-%",)
        ).fetchall()
    by_text = Counter(text for _, text in rows)
    return Counter({pk: by_text[text] for pk, text in rows})


# --- profile --------------------------------------------------------------------------------

# Where a posting request's time goes, by the function a sample passes through (inclusive).
PROFILE_MARKS = {
    "whole request (WSGI handler)": "get_response (django/core/handlers/base.py",
    "  middleware before the view (session, user, CSRF...)": "process_request",
    "  post_comment": "post_comment (broadsheet/comments/services.py",
    "    gate (decide)": "_require_gate (",
    "    duplicate form / repeat look-ups": "_refuse_repeat (",
    "    rate-limit slot (cache)": "take_post_slot (",
    "    moderation: screen": "screen (broadsheet/moderation/pipeline.py",
    "      sanctions": "sanctions (broadsheet/moderation/pipeline.py",
    "      banned words": "banned_words (",
    "      suspect words": "suspect_words (",
    "      threat/hate patterns": "phrases (broadsheet/moderation/pipeline.py",
    "      profanity model": "model (broadsheet/moderation/pipeline.py",
    "      newsroom model": "newsroom_model (",
    "      spam signals": "spam_signals (",
    "      same text on other stories": "duplicate (broadsheet/moderation/pipeline.py",
    "      new-reader rule": "new_reader (",
    "    Markdown + nh3": "render_comment (",
    "    story row lock": "_lock_story (",
    "    counts (_bump)": "_bump (",
    "    activity.comment_created (follow)": "comment_created (broadsheet/notifications",
    "    commit": "commit (django/db/backends/base/base.py",
    "    after-commit: notifications fan-out": "notify_comment (",
    "    after-commit: events published": "publish (broadsheet/core/events.py",
    "  response JSON": "_comment_out (",
    "SQL execute (anywhere)": "execute (django/db/backends/utils.py",
    "cache calls (anywhere)": "broadsheet/core/cache",
}


def summarise_profile(path: Path) -> None:
    """Share of the pages workers' samples under each mark (py-spy's collapsed stacks)."""
    totals: Counter[str] = Counter()
    everything = 0
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        n = int(count)
        everything += n
        for name, mark in PROFILE_MARKS.items():
            if mark in stack:
                totals[name] += n
    print(f"\nprofile: {everything} samples in the server processes")
    for name in PROFILE_MARKS:
        print(f"  {name:58} {100 * totals[name] / max(everything, 1):5.1f}%")


# --- the run --------------------------------------------------------------------------------


def check_stored(run: Run, stored: Counter[int]) -> str:
    """Every acknowledged comment stored exactly once, and nothing stored twice.

    Isso answers with the newest id of the thread read back after its insert, which
    another worker's insert can overtake, so two answers may carry one id: for Isso
    the check is by count (each post's text is unique, so a text stored twice shows).
    """
    twice = [pk for pk, n in stored.items() if n > 1]
    if run.target == "isso":
        lost = max(0, len(run.acked) - len(stored))
        note = f", {len(run.acked) - len(set(run.acked))} answers carried another's id"
    else:
        lost = sum(1 for pk in run.acked if stored[pk] == 0)
        lost += len(run.acked) - len(set(run.acked))
        note = ""
    if lost or twice:
        return f"FAILED: {lost} acknowledged not stored, {len(twice)} stored more than once"
    return f"ok: {len(run.acked)} acknowledged, each stored once ({len(stored)} stored{note})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--isso", type=Path, default=Path("/work/wt/isso-venv"),
                        help="the venv Isso 0.14 and gunicorn are installed in")  # fmt: skip
    parser.add_argument("--only", choices=["broadsheet", "isso"])
    parser.add_argument("--port", type=int, default=9110, help="Broadsheet's; Isso gets +10")
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--readers", type=int, default=64, help="commenting readers in the pool")
    parser.add_argument("--workers", type=int, default=2, help="make serve WORKERS")
    parser.add_argument("--threads", type=int, default=4, help="make serve THREADS")
    parser.add_argument("--profile", type=Path, help="py-spy the first Broadsheet run into this")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("needs wrk: apt-get install -y wrk")
    targets = [args.only] if args.only else ["broadsheet", "isso"]
    if "isso" in targets and not (args.isso / "bin" / "gunicorn").exists():
        raise SystemExit(f"no Isso in {args.isso}: see this script's docstring")

    var = Path(tempfile.mkdtemp(prefix="posting-bench-"))
    servers: dict[str, subprocess.Popen[bytes]] = {}
    urls: dict[str, str] = {}
    scripts: dict[str, str] = {}
    isso_db = var / "isso.db"
    stamp = f"{int(time.time()) % 100000}"
    try:
        if "broadsheet" in targets:
            servers["broadsheet"] = start_broadsheet(
                args.port, args.workers, args.threads, var / "broadsheet.log"
            )
            path, sessions = prepare_broadsheet(args.readers)
            base = f"http://127.0.0.1:{args.port}"
            urls["broadsheet"] = base + path
            scripts["broadsheet"] = BROADSHEET_LUA.format(
                SESSIONS=lua_list(sessions), PATH=path, RUN="{RUN}", TEXTS=lua_list(TEXTS),
                CSRF="b" * 32, BASE=base,
            )  # fmt: skip
        if "isso" in targets:
            isso_port = args.port + 10
            servers["isso"], isso_db = start_isso(args.isso, isso_port, var)
            urls["isso"] = f"http://127.0.0.1:{isso_port}/new?uri=%2Fbench-posting"
            scripts["isso"] = ISSO_LUA.format(PATH="/new?uri=%2Fbench-posting", RUN="{RUN}",
                                              TEXTS=lua_list(TEXTS))  # fmt: skip
        for target in targets:  # warm up: the model loaded, the Isso thread created
            script = scripts[target].replace("{RUN}", f"w{stamp}")
            wrk(target, urls[target], script, 3, 2, servers[target].pid)
            settle(servers[target].pid)
            wrk(target, urls[target], script, 3, 2, servers[target].pid)
            settle(servers[target].pid)
        runs: list[Run] = []
        load = os.getloadavg()[0]
        for round_ in range(args.rounds):
            for target in targets if round_ % 2 == 0 else reversed(targets):
                run_id = f"r{stamp}{round_}{target[0]}"
                spy = None
                if args.profile and target == "broadsheet" and round_ == 0:
                    spy = subprocess.Popen(
                        [str(Path(sys.executable).parent / "py-spy"), "record", "--format",
                         "raw", "--subprocesses", "--nonblocking", "-r", "200", "-o",
                         str(args.profile), "--pid", str(servers[target].pid)],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                    )  # fmt: skip
                    time.sleep(2)
                script = scripts[target].replace("{RUN}", run_id)
                run = wrk(target, urls[target], script, args.seconds, args.connections,
                          servers[target].pid)  # fmt: skip
                if spy is not None:
                    spy.send_signal(signal.SIGINT)
                    spy.wait(60)
                stored = isso_stored(isso_db, run_id) if target == "isso" else (
                    broadsheet_stored(run_id))  # fmt: skip
                print(run.line(), "|", check_stored(run, stored), flush=True)
                runs.append(run)
        load = (load + os.getloadavg()[0]) / 2
    finally:
        for process in servers.values():
            stop(process)
        shutil.rmtree(var, ignore_errors=True)

    database = "PostgreSQL + Redis" if os.environ.get("DATABASE_URL") else "SQLite"
    print(f"\n{database}; wrk -c{args.connections} -d{args.seconds}s, {args.rounds} rounds "
          f"alternating; load average about {load:.1f}")  # fmt: skip
    best = {t: max(r.rate for r in runs if r.target == t) for t in targets}
    least = {t: min(r.cpu_ms for r in runs if r.target == t) for t in targets}
    for target in targets:
        mine = [r for r in runs if r.target == target]
        print(f"  {target:10} best {best[target]:7.1f} comments/s, least CPU "
              f"{least[target]:5.2f} ms/comment, "
              f"p99 {max(r.p99_ms for r in mine):6.1f} ms (worst)")  # fmt: skip
    if len(targets) == 2:
        print(f"  Broadsheet / Isso: {best['broadsheet'] / best['isso']:.2f}x comments/s, "
              f"{least['broadsheet'] / least['isso']:.2f}x CPU per comment")  # fmt: skip
    if args.profile:
        summarise_profile(args.profile)


if __name__ == "__main__":
    main()
