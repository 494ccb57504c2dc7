"""Time the whole moderation pipeline per comment, as a real reader's comment on a story.

`evaluate_moderation` times the checks with no author (no database look-ups); this runs
the same labelled comments through `screen` for a signed-up reader on a published story,
so the sanction, duplicate, new-reader and link-history look-ups are counted too.

    .venv/bin/python bench/moderation_bench.py            # SQLite under var/
    DATABASE_URL=postgres://... REDIS_URL=redis://... .venv/bin/python bench/moderation_bench.py

It loads the demo data if the demo reader is missing, and times at most 1,000 comments.
"""

import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.config.settings")


def main() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from broadsheet.accounts.models import User
    from broadsheet.moderation.pipeline import screen
    from broadsheet.moderation.wordlists import install_defaults
    from broadsheet.stories.models import Story

    call_command("migrate", verbosity=0)
    if not User.objects.filter(email="member@example.com").exists():
        from broadsheet.core.demo import load_demo

        load_demo()
    install_defaults()
    reader = User.objects.get(email="member@example.com")
    story = Story.objects.filter(status=Story.Status.PUBLISHED).first()
    texts = [
        json.loads(line)["text"]
        for name in ("moderation_eval.jsonl", "moderation_held_aside.jsonl")
        for line in (ROOT / "tests" / "fixtures" / name).read_text().splitlines()
        if line.strip()
    ][:1000]
    screen(author=reader, story=story, text="Warm up: lists compiled, model loaded.")
    # Each phase timed in CPU time (a shared machine's waiting for a core left out).
    from broadsheet.moderation import pipeline

    spent: dict[str, float] = {phase.__name__: 0.0 for phase in pipeline.PHASES}

    def timed(phase: pipeline.Phase) -> pipeline.Phase:
        def run(sub: pipeline.Submission) -> pipeline.Verdict | None:
            started = time.thread_time()
            try:
                return phase(sub)
            finally:
                spent[phase.__name__] += time.thread_time() - started

        return run

    phases = [timed(phase) for phase in pipeline.PHASES]
    times, cpu = [], []
    for text in texts:
        started, started_cpu = time.perf_counter(), time.thread_time()
        screen(author=reader, story=story, text=text, phases=phases)
        times.append((time.perf_counter() - started) * 1000)
        cpu.append((time.thread_time() - started_cpu) * 1000)
    times.sort()
    cpu.sort()
    print(
        f"{len(times)} comments, whole pipeline with a reader's history: "
        f"mean {statistics.mean(times):.2f} ms, p50 {times[len(times) // 2]:.2f} ms, "
        f"p99 {times[int(len(times) * 0.99)]:.2f} ms; CPU time mean {statistics.mean(cpu):.2f} "
        f"ms, p99 {cpu[int(len(cpu) * 0.99)]:.2f} ms (load average {os.getloadavg()[0]:.1f})"
    )
    print("CPU per comment by phase: " + ", ".join(
        f"{name} {seconds * 1000 / len(texts):.2f}" for name, seconds in spent.items()
    ) + " ms")  # fmt: skip


if __name__ == "__main__":
    main()
