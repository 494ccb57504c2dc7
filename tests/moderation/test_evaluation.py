"""The whole automatic pipeline on our labelled sets: the figures must not regress."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from broadsheet.moderation import evaluation

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
TUNING = FIXTURES / "moderation_eval.jsonl"
HELD_ASIDE = FIXTURES / "moderation_held_aside.jsonl"


def test_the_labelled_sets_are_big_and_varied_enough() -> None:
    tuning, held = evaluation.load(TUNING), evaluation.load(HELD_ASIDE)
    both = tuning + held
    count = {label: sum(e.label == label for e in both) for label in evaluation.LABELS}
    assert len(both) >= 600
    assert count["threat"] >= 80
    assert count["hate"] >= 80
    assert count["insult"] >= 150
    assert count["spam"] >= 120
    assert count["civil"] >= 200
    texts = [e.text for e in both]
    assert len(set(texts)) == len(texts), "no duplicates, and nothing in both sets"
    assert len(held) >= 200
    civil = " ".join(e.text for e in both if e.label == "civil")
    for hard_case in ("Dick Turpin", "Scunthorpe", "was shot", "threatened with deportation"):
        assert hard_case in civil


def test_the_pipeline_meets_its_aims_on_the_tuning_set(default_lists: None) -> None:
    report = evaluation.evaluate(evaluation.load(TUNING))
    mistakes = "\n".join(f"[{r.label}] {r.reasons} {r.text}" for r in report.mistakes())
    assert report.rate_caught("civil") <= 0.03, mistakes
    assert report.rate_caught("threat") >= 0.95, mistakes
    assert report.abuse_caught() >= 0.90, mistakes
    assert report.rate_caught("spam") >= 0.95, mistakes
    assert report.right_category("threat") >= 0.9


def test_the_held_aside_set_does_not_regress(default_lists: None) -> None:
    """Nothing was tuned on this set (the first held-aside set, once measured, joined the
    tuning set). Its first measurement (civil held 4.2%, threats 42.9%, other abuse 68.4%,
    spam 82.2%) shows how far the checks are from the aims on comments they were not fitted
    to; these floors keep them from getting worse without fitting the checks to it."""
    report = evaluation.evaluate(evaluation.load(HELD_ASIDE))
    mistakes = "\n".join(f"[{r.label}] {r.reasons} {r.text}" for r in report.mistakes())
    assert report.rate_caught("civil") <= 0.05, mistakes
    assert report.rate_caught("threat") >= 0.42, mistakes
    assert report.abuse_caught() >= 0.68, mistakes
    assert report.rate_caught("spam") >= 0.82, mistakes


def test_the_command_prints_recall_per_category_and_the_confusion_table(
    default_lists: None,
) -> None:
    out = StringIO()
    call_command("evaluate_moderation", stdout=out)
    text = out.getvalue()
    assert f"{len(evaluation.load(TUNING))} comments from moderation_eval.jsonl" in text
    assert f"{len(evaluation.load(HELD_ASIDE))} comments from moderation_held_aside.jsonl" in text
    lines = text.splitlines()
    for label in ("threat", "hate", "insult", "sexual", "spam"):
        assert any(line.startswith(label) and "%" in line for line in lines)
    assert "civil held" in text
    header = next(line for line in lines if "published" in line and "threat" in line)
    assert header.split() == ["published", "threat", "hate", "sexual", "insult", "spam", "other"]
    assert "whole pipeline:" in text
    assert "ms a comment" in text


def test_the_command_refuses_a_malformed_set(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"label": "rude", "text": "x"}) + "\n")
    with pytest.raises(CommandError, match=r"bad\.jsonl:1"):
        call_command("evaluate_moderation", "--set", str(bad), stdout=StringIO())
    with pytest.raises(CommandError, match="No labelled set"):
        call_command("evaluate_moderation", "--set", str(tmp_path / "none.jsonl"))
