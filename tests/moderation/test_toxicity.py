"""The profanity model's fast path gives the package's own scores."""

import json
from pathlib import Path

from broadsheet.moderation import toxicity

SET = Path(__file__).resolve().parents[1] / "fixtures" / "moderation_eval.jsonl"


def test_the_fast_scores_are_the_packages_scores() -> None:
    texts = [json.loads(line)["text"] for line in SET.read_text().splitlines()][:200]
    assert toxicity.scores(texts) == toxicity.package_scores(texts)
