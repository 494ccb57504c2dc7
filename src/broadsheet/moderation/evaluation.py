"""How well the automatic checks separate civil comments from each kind of harm.

A labelled set (one JSON object a line: {"label": ..., "text": ...}, the label "civil" or a
category: threat, hate, insult, sexual, spam) is run through the whole pipeline as a regular
reader's comment on an open story, with no history. "Caught" means held or refused; civil
comments should be published. The project keeps two sets: moderation_eval.jsonl, which the
checks were tuned on, and moderation_held_aside.jsonl, which tuning never looked at.
"""

import json
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from broadsheet.moderation import conf, toxicity
from broadsheet.moderation.categories import Category
from broadsheet.moderation.pipeline import Outcome, screen

CIVIL = "civil"
HARMS = ("threat", "hate", "insult", "sexual", "spam")
LABELS = (CIVIL, *HARMS)
PUBLISHED = "published"
# Columns of the confusion table: what the pipeline made of a comment.
PREDICTED = (PUBLISHED, *(c.value for c in Category))


@dataclass(frozen=True)
class Example:
    label: str
    text: str


@dataclass
class Result:
    label: str
    text: str
    caught: bool
    category: str
    reasons: list[str]
    toxicity: float | None

    @property
    def predicted(self) -> str:
        return (self.category or Category.OTHER.value) if self.caught else PUBLISHED


@dataclass
class Report:
    results: list[Result] = field(default_factory=list)
    seconds: float = 0.0

    def total(self, label: str) -> int:
        return sum(r.label == label for r in self.results)

    def count(self, label: str, *, caught: bool) -> int:
        return sum(r.label == label and r.caught == caught for r in self.results)

    def rate_caught(self, label: str) -> float:
        """Recall for a harm; for civil, the share wrongly held."""
        total = self.total(label)
        return self.count(label, caught=True) / total if total else 0.0

    def abuse_caught(self) -> float:
        """Recall over every harm but threats and spam (hate, insult, sexual) together."""
        results = [r for r in self.results if r.label in {"hate", "insult", "sexual"}]
        return sum(r.caught for r in results) / len(results) if results else 0.0

    def right_category(self, label: str) -> float:
        """Of the caught comments with this label, the share put in the right category."""
        caught = [r for r in self.results if r.label == label and r.caught]
        return sum(r.category == label for r in caught) / len(caught) if caught else 0.0

    def confusion(self) -> dict[str, Counter[str]]:
        table: dict[str, Counter[str]] = {label: Counter() for label in LABELS}
        for r in self.results:
            table.setdefault(r.label, Counter())[r.predicted] += 1
        return table

    def mistakes(self) -> list[Result]:
        return [r for r in self.results if r.caught == (r.label == CIVIL)]

    def reasons(self, label: str) -> Counter[str]:
        counter: Counter[str] = Counter()
        for r in self.results:
            if r.label == label and r.caught:
                counter.update(
                    re.sub(r" [\d.]+$", "", reason.split(":")[0]) for reason in r.reasons
                )
        return counter

    def ms_per_comment(self) -> float:
        return self.seconds * 1000 / max(len(self.results), 1)


def load(path: Path) -> list[Example]:
    examples = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        data = json.loads(line)
        if data.get("label") not in LABELS or not str(data.get("text", "")).strip():
            raise ValueError(f"{path}:{number}: needs a label in {LABELS} and a text")
        examples.append(Example(label=data["label"], text=data["text"]))
    return examples


def evaluate(examples: list[Example]) -> Report:
    report = Report()
    screen(author=None, story=conf.OPEN_STORY, text="Warm up.")  # lists compiled, model loaded
    started = time.perf_counter()
    for example in examples:
        screening = screen(author=None, story=conf.OPEN_STORY, text=example.text)
        report.results.append(
            Result(
                label=example.label,
                text=example.text,
                caught=screening.outcome != Outcome.PUBLISH,
                category=screening.category,
                reasons=screening.reasons,
                toxicity=screening.toxicity,
            )
        )
    report.seconds = time.perf_counter() - started
    return report


def model_timing(examples: list[Example]) -> toxicity.Timing:
    return toxicity.timing([example.text for example in examples])
