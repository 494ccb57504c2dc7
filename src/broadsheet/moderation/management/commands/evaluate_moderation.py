"""Recall per category, civil comments held and the confusion table on the labelled sets."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from broadsheet.moderation import evaluation
from broadsheet.moderation.wordlists import install_defaults

FIXTURES = Path(settings.BASE_DIR) / "tests" / "fixtures"
TUNING_SET = FIXTURES / "moderation_eval.jsonl"
HELD_ASIDE_SET = FIXTURES / "moderation_held_aside.jsonl"
# What the pipeline aims for on comments it was never tuned on.
AIMS = "aims: civil held <= 3%, threats >= 95%, other abuse >= 90%, spam >= 95%"


class Command(BaseCommand):
    help = (
        "Run labelled sets of comments through the automatic checks and print, for each set, "
        "recall per category, the share of civil comments held, the confusion table and the "
        "time per comment. By default: the tuning set, then the held-aside set."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--set",
            type=Path,
            action="append",
            dest="sets",
            help="a .jsonl file (repeat for several); default: the project's two sets",
        )
        parser.add_argument(
            "--install-defaults",
            action="store_true",
            help="add the default word lists first (they are used as the desk left them)",
        )
        parser.add_argument(
            "--mistakes", action="store_true", help="list every comment the checks got wrong"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        paths: list[Path] = options["sets"] or [TUNING_SET, HELD_ASIDE_SET]
        loaded = []
        for path in paths:
            if not path.exists():
                raise CommandError(f"No labelled set at {path}.")
            try:
                loaded.append((path, evaluation.load(path)))
            except ValueError as error:
                raise CommandError(str(error)) from error
        if options["install_defaults"]:
            install_defaults()
        timing = evaluation.model_timing(loaded[0][1])
        for path, examples in loaded:
            self._print(path, evaluation.evaluate(examples), mistakes=options["mistakes"])
        self.stdout.write(
            f"profanity model: loaded in {timing.load_seconds:.2f} s; "
            f"{timing.per_text_ms:.2f} ms a text one by one"
        )

    def _print(self, path: Path, report: evaluation.Report, *, mistakes: bool) -> None:
        write = self.stdout.write
        write(f"\n{len(report.results)} comments from {path.name}")
        write(f"{'':8} {'total':>6} {'caught':>7} {'recall':>7} {'category right':>15}")
        for label in evaluation.HARMS:
            if report.total(label):
                write(
                    f"{label:8} {report.total(label):6d} {report.count(label, caught=True):7d} "
                    f"{report.rate_caught(label):7.1%} {report.right_category(label):15.1%}"
                )
        write(
            f"civil held {report.rate_caught('civil'):.1%} "
            f"({report.count('civil', caught=True)} of {report.total('civil')}); "
            f"threats caught {report.rate_caught('threat'):.1%}; "
            f"other abuse caught {report.abuse_caught():.1%}; "
            f"spam caught {report.rate_caught('spam'):.1%}"
        )
        write(AIMS)
        write("confusion (rows: label; columns: what the checks made of it)")
        columns = evaluation.PREDICTED
        write(f"{'':8} " + " ".join(f"{c:>9}" for c in columns))
        for label, row in report.confusion().items():
            write(f"{label:8} " + " ".join(f"{row.get(c, 0):9d}" for c in columns))
        for label in evaluation.HARMS:
            reasons = ", ".join(f"{name} {n}" for name, n in report.reasons(label).most_common())
            if reasons:
                write(f"{label} caught by: {reasons}")
        write(f"whole pipeline: {report.ms_per_comment():.2f} ms a comment")
        if mistakes:
            for result in report.mistakes():
                score = f"{result.toxicity:.2f}" if result.toxicity is not None else "-"
                write(f"  [{result.label}] {score} {result.reasons} {result.text}")
