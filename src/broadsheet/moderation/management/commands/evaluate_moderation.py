"""Precision and recall of the automatic checks on a labelled set of comments."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from broadsheet.moderation import evaluation
from broadsheet.moderation.wordlists import install_defaults

DEFAULT_SET = Path(settings.BASE_DIR) / "tests" / "fixtures" / "moderation_eval.jsonl"


class Command(BaseCommand):
    help = (
        "Run a labelled set of comments through the automatic checks and print precision "
        "and recall for civil, toxic and spam comments (held or refused vs published)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--set", type=Path, default=DEFAULT_SET, help="a .jsonl file")
        parser.add_argument(
            "--install-defaults",
            action="store_true",
            help="add the default word lists first (they are used as the desk left them)",
        )
        parser.add_argument(
            "--mistakes", action="store_true", help="list every comment the checks got wrong"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["set"]
        if not path.exists():
            raise CommandError(f"No labelled set at {path}.")
        try:
            examples = evaluation.load(path)
        except ValueError as error:
            raise CommandError(str(error)) from error
        if options["install_defaults"]:
            install_defaults()
        timing = evaluation.model_timing(examples)
        report = evaluation.evaluate(examples)
        write = self.stdout.write
        write(f"{len(examples)} comments from {path.name}")
        write(f"{'':8} {'total':>6} {'caught':>7} {'precision':>10} {'recall':>7}")
        for label in evaluation.LABELS:
            write(
                f"{label:8} {report.total(label):6d} {report.count(label, caught=True):7d} "
                f"{report.precision(label):10.1%} {report.recall(label):7.1%}"
            )
        write(
            f"civil held {report.rate_caught('civil'):.1%} (aim <= 5%), "
            f"toxic caught {report.rate_caught('toxic'):.1%} (aim >= 90%), "
            f"spam caught {report.rate_caught('spam'):.1%} (aim >= 90%)"
        )
        for label in ("toxic", "spam"):
            reasons = ", ".join(f"{name} {n}" for name, n in report.reasons(label).most_common())
            write(f"{label} caught by: {reasons}")
        write(
            f"model: loaded in {timing.load_seconds:.2f} s; {timing.per_text_ms:.2f} ms a text "
            f"one by one; {timing.batch_ms:.1f} ms for all {timing.batch_size} in one call"
        )
        if options["mistakes"]:
            for result in report.mistakes():
                score = f"{result.toxicity:.2f}" if result.toxicity is not None else "-"
                write(f"  [{result.label}] {score} {result.reasons} {result.text}")
