"""A small model trained on this desk's own approve and reject decisions.

Every newsroom draws its line in a different place; the shipped checks cannot know where.
The desk records each decision with the text judged (models.Decision); `train` fits a
logistic regression on hashed word and character n-grams of the normalised text (the same
normalisation as the word lists, so evasions look like the words they hide) and compares it
with the shipped checks on the newest decisions it did not learn from. It scores new
comments only while it does better there (balanced accuracy: the mean of the share of
rejects caught and the share of approvals let through).

The fitted model is kept in the database; its id, in the shared cache, tells every process
which one to load, so all workers score with the same model.
"""

import io
import pickle
import threading
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.utils.translation import gettext as _

from broadsheet.moderation import conf
from broadsheet.moderation.matching import tokens
from broadsheet.moderation.models import Decision, NewsroomModel

VERSION_KEY = "moderation:newsroom-model"
HELD_OUT_SHARE = 0.25
MIN_EACH = 10  # approvals and rejections each, or the comparison means nothing
N_FEATURES = 2**16

_lock = threading.Lock()
_loaded: tuple[int, Any] | None = None


def normalised(text: str) -> str:
    return " ".join(tokens(text))


def _pipeline() -> Any:
    from sklearn.feature_extraction.text import HashingVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline, make_union

    words = HashingVectorizer(
        preprocessor=normalised, ngram_range=(1, 2), n_features=N_FEATURES, alternate_sign=False
    )
    chars = HashingVectorizer(
        preprocessor=normalised,
        analyzer="char_wb",
        ngram_range=(2, 5),
        n_features=N_FEATURES,
        alternate_sign=False,
    )
    return make_pipeline(
        make_union(words, chars),
        LogisticRegression(class_weight="balanced", max_iter=1000, C=4.0),
    )


def _in_use_id() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = (
            NewsroomModel.objects.filter(in_use=True).values_list("pk", flat=True).first() or 0
        )
        # Read from the database: kept a while only, in case it raced a training's commit.
        cache.set(VERSION_KEY, version, timeout=300)
    return int(version)


def _current() -> Any:
    """The model in use, loaded once per process and again only when another replaces it."""
    global _loaded
    model_id = _in_use_id()
    if not model_id:
        return None
    if _loaded is None or _loaded[0] != model_id:
        with _lock:
            blob = NewsroomModel.objects.filter(pk=model_id).values_list("blob", flat=True).first()
            if not blob:
                return None  # not committed yet: look again on the next comment
            # Only train() writes these bytes, from a model it fitted itself.
            _loaded = (model_id, pickle.loads(bytes(blob)))  # noqa: S301
    return _loaded[1]


def score(text: str) -> float | None:
    """The newsroom model's probability that the desk would reject `text`; None when unused."""
    model = _current()
    if model is None:
        return None
    return round(float(model.predict_proba([text])[0][1]), 4)


@dataclass(frozen=True)
class Outcome:
    trained: bool
    message: str
    model: NewsroomModel | None = None


def _latest_decisions() -> list[tuple[str, bool]]:
    """The text and verdict of each decided comment, as last decided (oldest first)."""
    latest: dict[object, tuple[str, bool]] = {}
    for pk, comment_id, text, rejected in Decision.objects.order_by("decided_at", "pk").values_list(
        "pk", "comment_id", "text", "rejected"
    ):
        key = comment_id if comment_id is not None else f"d{pk}"
        latest.pop(key, None)  # keep the order of the last decision
        latest[key] = (text, rejected)
    return list(latest.values())


def balanced_accuracy(truth: list[bool], predicted: list[bool]) -> float:
    rejects = [p for t, p in zip(truth, predicted, strict=True) if t]
    approvals = [not p for t, p in zip(truth, predicted, strict=True) if not t]
    if not rejects or not approvals:
        return 0.0
    return (sum(rejects) / len(rejects) + sum(approvals) / len(approvals)) / 2


def shipped_checks_reject(texts: list[str]) -> list[bool]:
    """Whether the shipped checks alone (lists, patterns, model, spam) stop each text."""
    from broadsheet.moderation.pipeline import SHIPPED_PHASES, screen
    from broadsheet.moderation.pipeline import Outcome as Screened

    story = conf.OPEN_STORY
    return [
        screen(author=None, story=story, text=text, phases=SHIPPED_PHASES).outcome
        != Screened.PUBLISH
        for text in texts
    ]


def train() -> Outcome:
    """Fit a model on the desk's decisions; use it if it beats the shipped checks."""
    decisions = _latest_decisions()
    rejected = sum(r for _, r in decisions)
    approved = len(decisions) - rejected
    needed = conf.newsroom_min_decisions()
    if len(decisions) < needed or min(rejected, approved) < MIN_EACH:
        return Outcome(
            False,
            _(
                "Not enough decisions yet: %(decisions)s (%(approved)s approved, %(rejected)s "
                "rejected); training needs %(needed)s, with at least %(each)s of each."
            )
            % {
                "decisions": len(decisions),
                "approved": approved,
                "rejected": rejected,
                "needed": needed,
                "each": MIN_EACH,
            },
        )
    cut = len(decisions) - max(int(len(decisions) * HELD_OUT_SHARE), MIN_EACH)
    learn, held = decisions[:cut], decisions[cut:]
    if len({r for _, r in learn}) < 2 or len({r for _, r in held}) < 2:
        return Outcome(
            False, _("The newest decisions are all alike; training waits for a mix of both.")
        )
    model = _pipeline()
    model.fit([t for t, _ in learn], [int(r) for _, r in learn])
    truth = [r for _, r in held]
    limit = conf.site_limits().newsroom
    predicted = [p >= limit for p in model.predict_proba([t for t, _ in held])[:, 1]]
    model_score = balanced_accuracy(truth, predicted)
    shipped_score = balanced_accuracy(truth, shipped_checks_reject([t for t, _ in held]))
    buffer = io.BytesIO()
    pickle.dump(model, buffer, protocol=pickle.HIGHEST_PROTOCOL)
    in_use = model_score > shipped_score
    with transaction.atomic():
        if in_use:
            NewsroomModel.objects.filter(in_use=True).update(in_use=False)
        saved = NewsroomModel.objects.create(
            trained_on=len(learn),
            held_out=len(held),
            model_score=round(model_score, 4),
            shipped_score=round(shipped_score, 4),
            in_use=in_use,
            blob=buffer.getvalue(),
            details={"approved": approved, "rejected": rejected, "threshold": limit},
        )
        if in_use:
            # Now for this transaction's own reads, and for every process once committed.
            cache.delete(VERSION_KEY)
            transaction.on_commit(lambda: cache.set(VERSION_KEY, saved.pk, timeout=None))
    if in_use:
        summary = _(
            "Trained on %(learnt)s decisions; on the newest %(held)s it scored %(model)s against "
            "the shipped checks' %(shipped)s, so it now scores new comments."
        )
    else:
        summary = _(
            "Trained on %(learnt)s decisions; on the newest %(held)s it scored %(model)s against "
            "the shipped checks' %(shipped)s, so it is not used: the shipped checks do better."
        )
    figures = {
        "learnt": len(learn),
        "held": len(held),
        "model": f"{model_score:.0%}",
        "shipped": f"{shipped_score:.0%}",
    }
    return Outcome(True, summary % figures, saved)
