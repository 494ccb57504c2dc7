"""The offline toxicity model (alt-profanity-check): one loaded model per process.

The model ships inside the package (scikit-learn, nothing is downloaded). Importing it
takes seconds, so it is imported on first use and kept; scoring a text takes milliseconds
and a batch costs about the same as one text.
"""

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

_lock = threading.Lock()
_predict: Callable[[Sequence[str]], Sequence[float]] | None = None
_load_seconds: float | None = None


def _fast(model: Any, vectorizer: Any) -> Callable[[Sequence[str]], Sequence[float]]:
    """The package's calibrated model as one matrix product.

    It averages five linear classifiers, each through a sigmoid calibration; asking
    scikit-learn for that checks its inputs fifteen times, which costs more than the sums.
    The result is the same (tested against the package's own `predict_prob`).
    """
    import numpy as np

    parts = model.calibrated_classifiers_
    if not all(len(part.calibrators) == 1 and hasattr(part.calibrators[0], "a_") for part in parts):
        from profanity_check import predict_prob

        return predict_prob
    weights = np.column_stack([part.estimator.coef_.ravel() for part in parts])
    intercepts = np.array([float(part.estimator.intercept_[0]) for part in parts])
    slopes = np.array([part.calibrators[0].a_ for part in parts])
    offsets = np.array([part.calibrators[0].b_ for part in parts])

    def predict(texts: Sequence[str]) -> Sequence[float]:
        decision = vectorizer.transform(texts) @ weights + intercepts
        return (1.0 / (1.0 + np.exp(slopes * decision + offsets))).mean(axis=1)

    return predict


def _model() -> Callable[[Sequence[str]], Sequence[float]]:
    global _predict, _load_seconds
    if _predict is None:
        with _lock:
            if _predict is None:
                started = time.perf_counter()
                from profanity_check import profanity_check

                _predict = _fast(profanity_check.model, profanity_check.vectorizer)
                _load_seconds = time.perf_counter() - started
    return _predict


def package_scores(texts: Sequence[str]) -> list[float]:
    """The package's own scores, the slow way: what `scores` must agree with."""
    from profanity_check import predict_prob

    return [round(float(value), 4) for value in predict_prob(list(texts))]


def warm_up_in_background() -> None:
    """Load the model beside a starting server, so no reader's first comment waits for it."""
    threading.Thread(target=_model, name="toxicity-model", daemon=True).start()


def scores(texts: Sequence[str]) -> list[float]:
    """The model's probability that each text is offensive, 0..1."""
    if not texts:
        return []
    return [round(float(value), 4) for value in _model()(list(texts))]


@dataclass(frozen=True)
class Timing:
    load_seconds: float
    per_text_ms: float
    batch_ms: float
    batch_size: int


def timing(texts: Sequence[str]) -> Timing:
    """How long the model took to load in this process, and to score `texts`."""
    _model()
    started = time.perf_counter()
    for text in texts:
        scores([text])
    one_by_one = time.perf_counter() - started
    started = time.perf_counter()
    scores(texts)
    batch = time.perf_counter() - started
    return Timing(
        load_seconds=_load_seconds or 0.0,
        per_text_ms=one_by_one * 1000 / max(len(texts), 1),
        batch_ms=batch * 1000,
        batch_size=len(texts),
    )
