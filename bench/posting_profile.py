"""Where one comment's CPU time goes: cProfile over comments posted one by one.

Posts comments through the same API request a reader's browser sends (Django's test
client, in this process, so no other request competes and the figures are CPU, not
waiting), with only the comment rate limits off, as bench/posting_bench.py does. Prints
the milliseconds per comment spent under each step of the pipeline (inclusive).

    .venv/bin/python bench/posting_profile.py [--comments 300] [--dump profile.pstats]

Same database as the site (SQLite under var/, or DATABASE_URL / REDIS_URL).
"""

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.config.settings")
os.environ.update(COMMENT_RATE_LIMIT_SECONDS="0", COMMENT_BURST_PER_HOUR="0")

# (label, file suffix, function name): inclusive time of that function.
STEPS = [
    ("whole request", "django/core/handlers/base.py", "get_response"),
    ("  session and user (middleware)", "django/contrib/auth/middleware.py", "process_request"),
    ("  post_comment", "broadsheet/comments/services.py", "post_comment"),
    ("    gate (decide)", "broadsheet/comments/services.py", "_require_gate"),
    ("    same form / same text look-ups", "broadsheet/comments/services.py", "_refuse_repeat"),
    ("    limits (cache)", "broadsheet/comments/limits.py", "take_post_slot"),
    ("    moderation: screen", "broadsheet/moderation/pipeline.py", "screen"),
    ("      sanctions", "broadsheet/moderation/pipeline.py", "sanctions"),
    ("      banned words", "broadsheet/moderation/pipeline.py", "banned_words"),
    ("      suspect words", "broadsheet/moderation/pipeline.py", "suspect_words"),
    ("      threat and hate patterns", "broadsheet/moderation/pipeline.py", "phrases"),
    ("      profanity model", "broadsheet/moderation/pipeline.py", "model"),
    ("      newsroom model", "broadsheet/moderation/pipeline.py", "newsroom_model"),
    ("      spam signals", "broadsheet/moderation/pipeline.py", "spam_signals"),
    ("      same text on other stories", "broadsheet/moderation/pipeline.py", "duplicate"),
    ("      new-reader rule", "broadsheet/moderation/pipeline.py", "new_reader"),
    ("    Markdown and nh3", "broadsheet/comments/markdown.py", "render_comment"),
    (
        "    notifications: follow (in the transaction)",
        "broadsheet/notifications/activity.py",
        "comment_created",
    ),
    (
        "    after commit: notifications fan-out",
        "broadsheet/notifications/activity.py",
        "notify_comment",
    ),
    ("    after commit: live relay", "broadsheet/live/relay.py", "_relay"),
    ("      desk queue counts", "broadsheet/moderation/queries.py", "queue_counts"),
    ("      comment HTML for the stream", "broadsheet/comments/stream.py", "public_comment_html"),
    ("      event log appends", "broadsheet/live/log.py", "append"),
    ("  response (schema)", "broadsheet/api/comments.py", "_comment_out"),
    ("SQL: the database's own time (all queries)", "django/db/backends/utils.py", "_execute"),
    ("logging", "logging/__init__.py", "handle"),
]


def breakdown(stats: pstats.Stats, comments: int) -> list[tuple[str, float]]:
    table = stats.stats  # type: ignore[attr-defined]
    rows = []
    for label, suffix, name in STEPS:
        total = sum(
            entry[3]
            for (filename, _line, function), entry in table.items()
            if function == name and filename.endswith(suffix)
        )
        rows.append((label, total * 1000 / comments))
    calls = sum(
        entry[1]
        for (filename, _line, function), entry in table.items()
        if function == "_execute" and filename.endswith("django/db/backends/utils.py")
    )
    rows.append(("queries per comment (count)", calls / comments))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--comments", type=int, default=300)
    parser.add_argument("--dump", type=Path, help="also write the pstats file here")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from posting_bench import SLUG, TEXTS, prepare_broadsheet

    from broadsheet.accounts.models import User

    call_command("migrate", verbosity=0)
    if not User.objects.filter(email="member@example.com").exists():
        call_command("seed_demo", verbosity=0)
    path, sessions = prepare_broadsheet(16)
    clients = []
    for session in sessions:
        client = Client(HTTP_HOST="127.0.0.1")
        client.cookies["sessionid"] = session
        clients.append(client)
    stamp = int(time.time())

    def post(n: int) -> None:
        text = f"{TEXTS[n % len(TEXTS)]} [p{stamp}-{n}]"
        response = clients[n % len(clients)].post(
            path, {"text": text}, content_type="application/json"
        )
        assert response.status_code == 201, response.content

    for n in range(10):  # warm: model loaded, lists compiled, templates cached
        post(-1 - n)
    profile = cProfile.Profile(time.thread_time)  # CPU time, not waiting for a busy CPU
    started = time.process_time()
    profile.enable()
    for n in range(args.comments):
        post(n)
    profile.disable()
    cpu = (time.process_time() - started) * 1000 / args.comments
    connection.close()
    stats = pstats.Stats(profile)
    if args.dump:
        stats.dump_stats(str(args.dump))
    print(
        f"{args.comments} comments on {SLUG}, one by one, under cProfile "
        f"({connection.vendor}): {cpu:.2f} ms CPU per comment (cProfile adds its own)"
    )
    print("  milliseconds of CPU per comment under each step (inclusive):")  # fmt: skip
    for label, ms in breakdown(stats, args.comments):
        unit = "" if label.startswith("queries") else " ms"
        print(f"  {label:50} {ms:6.2f}{unit}")
    started = time.process_time()
    for n in range(args.comments, args.comments + 100):
        post(n)
    plain = (time.process_time() - started) * 1000 / 100
    print(f"without the profiler: {plain:.2f} ms CPU per comment (100 comments)")


if __name__ == "__main__":
    main()
