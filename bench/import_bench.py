"""Generate a 20,000-comment Disqus export and time importing it (and importing it again).

    .venv/bin/python bench/import_bench.py [--comments 20000] [--database-url URL]

By default it works in a fresh SQLite database in a temporary folder, so it touches no
data of yours; DATABASE_URL (or --database-url) points it at an empty PostgreSQL database
instead. The export has 500 pages, 2,000 authors, and a third of the comments are
replies, listed before the comments they answer, as Disqus exports often do.
"""

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

HEAD = (
    '<?xml version="1.0" encoding="utf-8"?>\n'
    '<disqus xmlns="http://disqus.com" xmlns:dsq="http://disqus.com/disqus-internals">\n'
)


def write_export(path: Path, comments: int, pages: int = 500, authors: int = 2000) -> None:
    chance = random.Random(20_000)
    lines = [HEAD]
    for page in range(pages):
        lines.append(
            f'<thread dsq:id="{page + 1}"><id>story-{page}</id>'
            f"<link>https://news.example.com/story-{page}</link>"
            f"<title>Story number {page}</title></thread>\n"
        )
    posts: list[str] = []
    page_of: list[int] = []
    for number in range(comments):
        page = chance.randrange(pages)
        parent = ""

        if number and chance.random() < 0.33:
            candidate = chance.randrange(number)
            page = page_of[candidate]
            parent = f'<parent dsq:id="{candidate + 1_000_000}" />'

        page_of.append(page)
        author = chance.randrange(authors)
        words = " ".join(
            chance.choice(["harbour", "ferry", "council", "budget", "tide"])
            for _ in range(chance.randint(5, 40))
        )
        posts.append(
            f'<post dsq:id="{number + 1_000_000}"><message><![CDATA[<p>{escape(words)}.</p>]]>'
            f"</message><createdAt>2024-01-{1 + number % 28:02d}T10:{number % 60:02d}:00Z"
            f"</createdAt><isDeleted>false</isDeleted><isSpam>false</isSpam><author>"
            f"<email>reader{author}@example.org</email><name>Reader {author}</name></author>"
            f'<thread dsq:id="{page + 1}" />{parent}</post>\n'
        )
    # Replies before their parents: newest first.
    lines.extend(reversed(posts))
    lines.append("</disqus>\n")
    path.write_text("".join(lines), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=20_000)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="broadsheet-import-bench-"))
    os.environ["BROADSHEET_VAR_DIR"] = str(folder)
    os.environ["DATABASE_URL"] = options.database_url or f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.config.settings")
    os.environ.setdefault("TASKS_IMMEDIATE", "true")
    import django

    django.setup()
    from django.core.management import call_command

    from broadsheet.embed.models import Site

    call_command("migrate", verbosity=0)
    Site.objects.get_or_create(
        key="bench", defaults={"name": "Bench", "allowed_origins": "https://news.example.com"}
    )
    export = folder / "disqus.xml"
    started = time.perf_counter()
    write_export(export, options.comments)
    print(
        f"wrote {options.comments:,} comments ({export.stat().st_size / 1e6:.1f} MB) "
        f"in {time.perf_counter() - started:.1f} s"
    )
    for attempt in ("first import", "second import (changes nothing)"):
        started, cpu = time.perf_counter(), time.process_time()
        call_command("import_comments", "disqus", str(export), "--site", "bench")
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        # On a shared machine the wall time depends on the neighbours; the CPU time less so.
        print(
            f"{attempt}: {elapsed:.1f} s wall, {cpu:.1f} s CPU "
            f"({options.comments / elapsed:,.0f} comments/s)"
        )


if __name__ == "__main__":
    main()
