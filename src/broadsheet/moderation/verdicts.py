"""What each automatic check said about a comment, as a verdict a moderator reads at a glance.

The desk showed the toxicity score as a neutral badge ("score 0.02") even on obvious spam;
here every check (toxicity, spam, word lists, reports) gets its own verdict in words, with
a level the template turns into a colour. Read from what the pipeline stored on the
comment (`hold_reasons`, `toxicity`) and its open reports: nothing is scored again.
"""

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from broadsheet.moderation.categories import Category

BAD, WARN, OK, INFO = "bad", "warn", "ok", "info"
WORD_LIST_PREFIXES = ("banned words:", "suspect words:")
SPAM_PREFIXES = ("spam:", "link from a new reader")


def _is_phrase(reason: str) -> bool:
    """A hold by the phrase patterns reads "<category label>: “phrase”"."""
    if ":" not in reason or reason.startswith(WORD_LIST_PREFIXES + SPAM_PREFIXES):
        return False
    head = reason.split(":", 1)[0].casefold()
    phrase_kinds = [c for c in Category if c not in (Category.SPAM, Category.OTHER)]
    return head in {str(c.label).casefold() for c in phrase_kinds}


@dataclass(frozen=True)
class Check:
    name: str  # which check: "Toxicity", "Spam", ...
    level: str  # bad, warn, ok or info
    verdict: str  # what it found, in words

    @property
    def level_words(self) -> str:
        """The level in words too, so colour is never the only cue."""
        return {BAD: _("Problem"), WARN: _("Check"), OK: _("Clear"), INFO: _("Note")}[self.level]


def _toxicity(score: float | None, threshold: float) -> Check:
    name = _("Toxicity")
    if score is None:
        return Check(name, INFO, _("Not scored"))
    shown = f"{score:.2f}"
    if score >= threshold:
        return Check(name, BAD, _("Toxic (%(score)s)") % {"score": shown})
    if score >= threshold / 2:
        return Check(name, WARN, _("Borderline (%(score)s)") % {"score": shown})
    return Check(name, OK, _("Not toxic (%(score)s)") % {"score": shown})


def _spam(reasons: list[str]) -> Check:
    found = [r for r in reasons if r.startswith(SPAM_PREFIXES)]
    if not found:
        return Check(_("Spam"), OK, _("No spam signals"))
    signals = "; ".join(r.removeprefix("spam:").strip() for r in found)
    return Check(_("Spam"), BAD, _("Looks like spam: %(signals)s") % {"signals": signals})


def _words(reasons: list[str]) -> Check:
    name = _("Word lists")
    banned = [r for r in reasons if r.startswith("banned words:")]
    if banned:
        terms = banned[0].removeprefix("banned words:").strip()
        return Check(name, BAD, _("Banned words: %(terms)s") % {"terms": terms})
    phrases = [r for r in reasons if _is_phrase(r)]
    if phrases:
        return Check(name, BAD, phrases[0])
    suspect = [r for r in reasons if r.startswith("suspect words:")]
    if suspect:
        terms = suspect[0].removeprefix("suspect words:").strip()
        return Check(name, WARN, _("Suspect words: %(terms)s") % {"terms": terms})
    return Check(name, OK, _("No listed words"))


def _reports(open_reports: int) -> Check:
    name = _("Reports")
    if not open_reports:
        return Check(name, OK, _("No open reports"))
    words = ngettext("%(n)d open report", "%(n)d open reports", open_reports) % {"n": open_reports}
    return Check(name, BAD if open_reports > 1 else WARN, words)


def _other(reasons: list[str]) -> list[Check]:
    """Holds that are not a check of the text: a new reader, a pre-moderated story, ..."""
    known = WORD_LIST_PREFIXES + SPAM_PREFIXES + ("toxicity",)
    rest = [r for r in reasons if not r.startswith(known) and not _is_phrase(r)]
    return [Check(_("Held because"), INFO, reason) for reason in rest]


def checks(comment: Any, threshold: float) -> list[Check]:
    """One verdict per check for `comment`, then any other reason it was held."""
    reasons = [str(r) for r in (comment.hold_reasons or [])]
    open_reports = getattr(comment, "open_report_count", None)
    if open_reports is None:
        open_reports = comment.reports.filter(resolved_at__isnull=True).count()
    return [
        _toxicity(comment.toxicity, threshold),
        _spam(reasons),
        _words(reasons),
        _reports(open_reports),
        *_other(reasons),
    ]
