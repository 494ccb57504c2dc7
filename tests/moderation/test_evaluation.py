"""The whole automatic pipeline on our labelled set: the figures must not regress."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from broadsheet.moderation import evaluation

pytestmark = pytest.mark.django_db

SET = Path(__file__).resolve().parents[1] / "fixtures" / "moderation_eval.jsonl"


def test_the_labelled_set_is_big_and_varied_enough() -> None:
    examples = evaluation.load(SET)
    by_label = {label: [e for e in examples if e.label == label] for label in evaluation.LABELS}
    assert len(by_label["civil"]) >= 100
    assert len(by_label["toxic"]) >= 100
    assert len(by_label["spam"]) >= 50
    texts = [e.text for e in examples]
    assert len(set(texts)) == len(texts), "no duplicates"
    civil = {e.text for e in by_label["civil"]}
    assert any("idiotic part is the bureaucracy" in t for t in civil)
    assert any("damn shame" in t.lower() for t in civil)


def test_the_pipeline_meets_its_aims_on_the_set(default_lists: None) -> None:
    report = evaluation.evaluate(evaluation.load(SET))
    mistakes = "\n".join(f"[{r.label}] {r.reasons} {r.text}" for r in report.mistakes())
    assert report.rate_caught("civil") <= 0.05, mistakes
    assert report.rate_caught("toxic") >= 0.90, mistakes
    assert report.rate_caught("spam") >= 0.90, mistakes
    assert report.precision("toxic") >= 0.90
    assert report.precision("spam") >= 0.90


def test_the_command_prints_precision_recall_and_timing(default_lists: None) -> None:
    out = StringIO()
    call_command("evaluate_moderation", stdout=out)
    text = out.getvalue()
    assert f"{len(evaluation.load(SET))} comments from moderation_eval.jsonl" in text
    for label in ("civil", "toxic", "spam"):
        assert any(line.startswith(label) and "%" in line for line in text.splitlines())
    assert "civil held" in text
    assert "model: loaded in" in text
    assert "ms a text" in text


def test_the_command_refuses_a_malformed_set(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"label": "rude", "text": "x"}) + "\n")
    with pytest.raises(CommandError, match=r"bad\.jsonl:1"):
        call_command("evaluate_moderation", "--set", str(bad), stdout=StringIO())
    with pytest.raises(CommandError, match="No labelled set"):
        call_command("evaluate_moderation", "--set", str(tmp_path / "none.jsonl"))
