"""Capacity by arithmetic: from measured CPU per request to app processes and database size.

Reads the figures `bench/pages_bench.py --json FILE` wrote (server CPU per request of each
page, and with PostgreSQL the database's own CPU per request, counted apart), takes a load
(readers in an hour, the share reading comments, the share posting) and writes
bench/capacity.md: requests per second at the peak, CPU cores for the app and for
PostgreSQL, which saturates first, and what then helps.

    .venv/bin/python bench/pages_bench.py --json var/pages-sqlite.json
    .venv/bin/python bench/pages_bench.py --postgres ... --redis ... --json var/pages-pg.json
    .venv/bin/python bench/capacity.py --measured var/pages-pg.json --out bench/capacity.md

Posting is measured by the posting benchmark (see bench/README.md); its CPU per comment
is an input here (`--post-app-ms`, `--post-db-ms`), stated in the output.
"""

import argparse
import json
import math
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROXY_TITLE = "Behind a caching proxy or CDN (visitors' pages from its cache)"


@dataclass(frozen=True)
class Load:
    readers: int
    hours: float
    peak_factor: float
    comment_readers: float
    posters: float
    signed_in: float
    front_page_views: float
    thread_pages: float

    def per_second(self, share: float, per_reader: float = 1.0) -> float:
        """Requests per second at the peak for `share` of the readers."""
        return self.readers * share * per_reader / (self.hours * 3600) * self.peak_factor


def _row(name: str, rate: float, app_ms: float, db_ms: float) -> tuple[str, float, float, float]:
    return name, rate, rate * app_ms / 1000, rate * db_ms / 1000


def plan(measured: dict, load: Load, post_app_ms: float, post_db_ms: float, proxy: bool) -> list:
    pages = measured["pages"]
    visitor = 1 - load.signed_in
    # Behind a proxy/CDN, each visitor page reaches the app about once per max-age (10 s)
    # per address, whatever the traffic: a handful of requests a second in all.
    origin = (lambda rate: min(rate, 1 / 10)) if proxy else (lambda rate: rate)
    story_v = pages["story, 100 comments, visitor"]
    story_s = pages["story, 100 comments, signed in"]
    front = pages["front page, visitor"]
    thread = pages["API thread page, visitor"]
    return [
        _row("story page, visitors", origin(load.per_second(visitor)),
             story_v["app_cpu_ms"], story_v["db_cpu_ms"]),
        _row("story page, signed in", load.per_second(load.signed_in),
             story_s["app_cpu_ms"], story_s["db_cpu_ms"]),
        _row("front page, visitors", origin(load.per_second(visitor, load.front_page_views)),
             front["app_cpu_ms"], front["db_cpu_ms"]),
        _row("more comments (thread pages)",
             load.per_second(load.comment_readers, load.thread_pages),
             thread["app_cpu_ms"], thread["db_cpu_ms"]),
        _row("new comments", load.per_second(load.posters), post_app_ms, post_db_ms),
    ]  # fmt: skip


def table(rows: list) -> tuple[str, float, float, float]:
    lines = ["| requests | per second at peak | app CPU cores | PostgreSQL CPU cores |",
             "|---|---|---|---|"]  # fmt: skip
    total_rate = total_app = total_db = 0.0
    for name, rate, app, db in rows:
        lines.append(f"| {name} | {rate:,.1f} | {app:.2f} | {db:.2f} |")
        total_rate, total_app, total_db = total_rate + rate, total_app + app, total_db + db
    lines.append(f"| **all** | **{total_rate:,.1f}** | **{total_app:.2f}** | **{total_db:.2f}** |")
    return "\n".join(lines), total_rate, total_app, total_db


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--measured", required=True, help="pages_bench.py --json output")
    parser.add_argument("--readers", type=int, default=200_000)
    parser.add_argument("--hours", type=float, default=1.0)
    parser.add_argument("--peak-factor", type=float, default=3.0,
                        help="the busiest minute against the hour's average")  # fmt: skip
    parser.add_argument("--comment-readers", type=float, default=0.20)
    parser.add_argument("--posters", type=float, default=0.01)
    parser.add_argument("--signed-in", type=float, default=0.10,
                        help="share of readers signed in (every poster is)")  # fmt: skip
    parser.add_argument("--front-page-views", type=float, default=1.0)
    parser.add_argument("--thread-pages", type=float, default=2.0,
                        help="further thread pages a comment reader loads")  # fmt: skip
    parser.add_argument("--post-app-ms", type=float, default=30.0,
                        help="INPUT: app CPU per new comment (bench/README.md)")  # fmt: skip
    parser.add_argument("--post-db-ms", type=float, default=3.0,
                        help="INPUT: PostgreSQL CPU per new comment")  # fmt: skip
    parser.add_argument("--utilisation", type=float, default=0.6,
                        help="how busy a core may run at the peak")  # fmt: skip
    parser.add_argument("--out", default=str(ROOT / "bench" / "capacity.md"))
    args = parser.parse_args()
    measured = json.loads(Path(args.measured).read_text())
    load = Load(args.readers, args.hours, args.peak_factor, args.comment_readers, args.posters,
                args.signed_in, args.front_page_views, args.thread_pages)  # fmt: skip
    healthz = measured["pages"]["/healthz"]
    story_signed_in = measured["pages"]["story, 100 comments, signed in"]["app_cpu_ms"]
    sqlite = not any(page["db_cpu_ms"] for page in measured["pages"].values())

    out = [
        "# Capacity: how many app processes and which database for a given load",
        "",
        f"Generated by `bench/capacity.py` from `bench/pages_bench.py` figures ({measured['mode']}"
        "; server CPU per request measured from /proc, PostgreSQL's own backends counted "
        "apart). Edit the inputs on the command line and run it again; nothing here is typed "
        "by hand.",
        "",
        "## The load",
        "",
        f"- {args.readers:,} readers in {args.hours:g} hour(s) on one story (a national front "
        f"page), the busiest minute {args.peak_factor:g} times the average;",
        f"- {args.signed_in:.0%} of them signed in; {args.comment_readers:.0%} read the comments "
        f"and load {args.thread_pages:g} further thread pages; {args.posters:.0%} post a comment;",
        f"- each also loads the front page {args.front_page_views:g} time(s).",
        f"- **Input, not measured here:** a new comment costs {args.post_app_ms:g} ms of app CPU "
        f"and {args.post_db_ms:g} ms of PostgreSQL CPU (the posting benchmark's figures, "
        "bench/README.md; `--post-app-ms`, `--post-db-ms`).",
        "",
        "## Measured cost per request",
        "",
        *(
            [
                "On SQLite the database works inside the app processes: its CPU is in the app "
                "figure. Run the bench with `--postgres` for PostgreSQL's own CPU.",
                "",
            ]
            if sqlite
            else []
        ),
        "| page | app CPU ms | PostgreSQL CPU ms | req/s in the bench | of /healthz |",
        "|---|---|---|---|---|",
    ]
    for name, page in measured["pages"].items():
        out.append(f"| {name} | {page['app_cpu_ms']:.2f} | {page['db_cpu_ms']:.2f} | "
                   f"{page['rps']:,.0f} | {page['ratio']:.0%} |")  # fmt: skip
    for proxy in (False, True):
        rows = plan(measured, load, args.post_app_ms, args.post_db_ms, proxy)
        text, _, app, db = table(rows)
        processes = max(1, math.ceil(app / args.utilisation))
        db_cores = max(1, math.ceil(db / args.utilisation))
        first = max(rows, key=lambda row: row[2])
        out += [
            "",
            "## " + (PROXY_TITLE if proxy else "Every request reaching the app servers"),
            "",
            text,
            "",
            f"- **App processes:** {app:.2f} cores of work → **{processes} worker processes** "
            f"(one core each, at {args.utilisation:.0%} busy), e.g. "
            f"{math.ceil(processes / 4)} app server(s) of 4 cores.",
            f"- **PostgreSQL:** {db:.2f} cores of work → **{db_cores} vCPU** at "
            f"{args.utilisation:.0%} busy; the working set (one hot story, its thread, sessions) "
            "fits in a few hundred MB of shared buffers.",
            f"- The biggest share of app CPU: {first[0]} ({first[2]:.2f} cores).",
        ]
    out += [
        "",
        "## What saturates first, and what then helps",
        "",
        "- **The app processes**, not the database: every cached page costs the app far more "
        "CPU than PostgreSQL (one indexed row, or none). Add worker processes and app "
        "servers behind the load balancer: they share nothing but PostgreSQL and Redis.",
        "- **The proxy cache** takes the visitors' pages (most of the traffic) off the app "
        f"entirely: they are public for {10} s with stale-while-revalidate, so the origin "
        "sees about one request per address per 10 s. What is left is signed-in readers, "
        "thread pages and posting.",
        f"- **Posting** costs {args.post_app_ms:g} ms a comment (input); at "
        f"{args.posters:.0%} of readers it is a small share of the total, but a comment storm "
        "(many readers posting in one minute) scales with app processes too; PostgreSQL "
        "takes each comment in one short transaction.",
        f"- **Signed-in story pages** cost {story_signed_in:.1f} ms each: with the proxy "
        "taking the visitors, they are most of what is left.",
        "- **PostgreSQL** saturates last. When it does (many stories at once, signed-in "
        "readers' own look-ups), a read replica takes the reads (stories, threads) through "
        "the database router, and the primary keeps the writes.",
        f"- For scale: /healthz (one query) costs {healthz['app_cpu_ms']:.2f} ms here; a "
        "page's cost against it is in the table above.",
        "",
    ]
    Path(args.out).write_text("\n".join(out))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
