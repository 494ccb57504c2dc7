"""How well the automatic checks separate civil comments from toxic ones and spam.

A labelled set (one JSON object a line: {"label": "civil"|"toxic"|"spam", "text": ...}) is
run through the whole pipeline as a regular reader's comment on an open story, with no
history. "Caught" means held or refused; civil comments should be published.
"""

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

from broadsheet.moderation import toxicity
from broadsheet.moderation.pipeline import Outcome, screen

LABELS = ("civil", "toxic", "spam")


@dataclass(frozen=True)
class Example:
    label: str
    text: str


@dataclass
class Result:
    label: str
    text: str
    caught: bool
    reasons: list[str]
    toxicity: float | None


@dataclass
class Report:
    results: list[Result] = field(default_factory=list)

    def count(self, label: str, *, caught: bool) -> int:
        return sum(r.label == label and r.caught == caught for r in self.results)

    def total(self, label: str) -> int:
        return sum(r.label == label for r in self.results)

    def rate_caught(self, label: str) -> float:
        """Recall for toxic and spam; for civil, the share wrongly held."""
        total = self.total(label)
        return self.count(label, caught=True) / total if total else 0.0

    def precision(self, label: str) -> float:
        """Of the comments stopped (toxic, spam) or let through (civil), how many were right."""
        if label == "civil":
            passed = [r for r in self.results if not r.caught]
            return sum(r.label == "civil" for r in passed) / len(passed) if passed else 0.0
        caught = [r for r in self.results if r.caught and r.label in {label, *{"civil"}}]
        return sum(r.label == label for r in caught) / len(caught) if caught else 0.0

    def recall(self, label: str) -> float:
        if label == "civil":
            total = self.total("civil")
            return self.count("civil", caught=False) / total if total else 0.0
        return self.rate_caught(label)

    def mistakes(self) -> list[Result]:
        return [r for r in self.results if r.caught == (r.label == "civil")]

    def reasons(self, label: str) -> Counter[str]:
        counter: Counter[str] = Counter()
        for r in self.results:
            if r.label == label and r.caught:
                counter.update(
                    re.sub(r" [\d.]+$", "", reason.split(":")[0]) for reason in r.reasons
                )
        return counter


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
    story = SimpleNamespace(pk=None, comment_mode="open")
    report = Report()
    for example in examples:
        screening = screen(author=None, story=story, text=example.text)
        report.results.append(
            Result(
                label=example.label,
                text=example.text,
                caught=screening.outcome != Outcome.PUBLISH,
                reasons=screening.reasons,
                toxicity=screening.toxicity,
            )
        )
    return report


def model_timing(examples: list[Example]) -> toxicity.Timing:
    return toxicity.timing([example.text for example in examples])
