"""The automatic checks every new or edited comment passes, in order.

`screen` decides whether a comment is published, held for review, or refused. Each phase
is a small function over one `Submission`; a phase that refuses stops the run, phases that
hold add their reason, so a moderator sees every reason a comment waits.

1. the author's sanctions (ban, suspension: refused; always pre-moderated: held)
2. banned words and phrases (refused, without saying which)
3. suspect words and phrases (held)
4. threats, incitement and hateful generalisations by their shape (patterns.py); a threat
   is refused or held as the site chose
5. the offline toxicity model (score kept; held at or above the threshold)
6. the newsroom's own model, once it beats the shipped checks (newsroom.py)
7. spam (commercial and link spam, blocked domains, the same text or link on several
   stories, readers who mostly post links)
8. the story's mode and the new-reader rule

Every verdict about the text names a category (categories.py); the comment keeps the most
serious one, which orders the desk's queue and is what the author is told. Thresholds are
the site's (conf.Limits), lowered on a story marked strict.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from functools import cached_property
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from broadsheet.moderation import conf, newsroom, patterns, spam, toxicity, wordlists
from broadsheet.moderation.categories import Category, for_author, most_serious
from broadsheet.moderation.matching import tokens
from broadsheet.moderation.models import Sanction


class Outcome(StrEnum):
    PUBLISH = "publish"
    HOLD = "hold"
    REFUSE = "refuse"


@dataclass(frozen=True)
class Screening:
    outcome: Outcome
    reasons: list[str] = field(default_factory=list)
    toxicity: float | None = None
    message: str = ""
    category: str = ""


GUIDELINES_MESSAGE = gettext_noop(
    "This comment breaks our community guidelines, so it was not posted. "
    "Please edit it and try again."
)
HELD_MESSAGE = gettext_noop("Your comment is awaiting review by a moderator.")


def guidelines_message(category: str) -> str:
    """The refusal as the author reads it, saying what kind of problem it is."""
    why = for_author(category) if category != Category.OTHER else ""
    if not why:
        return _(GUIDELINES_MESSAGE)
    return _(
        "This comment breaks our community guidelines (%(why)s), so it was not posted. "
        "Please edit it and try again."
    ) % {"why": why}


BANNED_MESSAGE = gettext_noop("Your account may no longer comment.")


@dataclass
class Submission:
    """What the phases look at: the text, its author and story, and the comment if edited."""

    author: Any
    story: Any
    text: str
    editing: Any = None
    toxicity: float | None = None
    sanctions: list[Sanction] | None = None  # already read by the caller, else read here

    @cached_property
    def words(self) -> list[str]:
        return tokens(self.text)

    @cached_property
    def unquoted_words(self) -> list[str]:
        rest = patterns.unquoted(self.text)
        return self.words if rest == self.text else tokens(rest)

    @cached_property
    def limits(self) -> conf.Limits:
        return conf.site_limits().for_story(self.story)


@dataclass(frozen=True)
class Verdict:
    outcome: Outcome
    reason: str
    message: str = ""
    category: str = ""


Phase = Callable[[Submission], Verdict | None]


def sanctions(sub: Submission) -> Verdict | None:
    """A ban or a suspension refuses; an always-pre-moderated reader waits for review."""
    from broadsheet.moderation.sanctions import COMMENTING_KINDS, in_force, stopping

    measures = sub.sanctions
    if measures is None:
        measures = in_force(sub.author, COMMENTING_KINDS)  # one query for the three
    sanction = stopping(measures)
    if sanction is not None:
        if sanction.kind == Sanction.Kind.BAN:
            return Verdict(Outcome.REFUSE, "author banned", _(BANNED_MESSAGE))
        until = timezone.localtime(sanction.ends_at) if sanction.ends_at else None
        if until:
            message = _("Your account may not comment until %(until)s.") % {
                "until": f"{until:%d %B %Y, %H:%M}"
            }
        else:
            message = _("Your account may not comment.")
        return Verdict(Outcome.REFUSE, "author suspended", message)
    if any(s.kind == Sanction.Kind.PREMODERATION for s in measures):
        return Verdict(Outcome.HOLD, "author pre-moderated")
    return None


def banned_words(sub: Submission) -> Verdict | None:
    """A banned word or phrase refuses the comment; the message does not name it."""
    lists = wordlists.current()
    found = lists.banned.find_in(sub.words)
    if found:
        terms = sorted({match.term for match in found})
        category = most_serious([lists.categories.get(term, Category.OTHER) for term in terms])
        return Verdict(
            Outcome.REFUSE,
            f"banned words: {', '.join(terms)}",
            guidelines_message(category),
            category=category,
        )
    return None


def suspect_words(sub: Submission) -> Verdict | None:
    """A suspect word holds the comment, unless it is only in a quotation the comment discusses."""
    lists = wordlists.current()
    found = lists.suspect.find_in(sub.unquoted_words)
    if found:
        terms = sorted({match.term for match in found})
        category = most_serious([lists.categories.get(term, Category.OTHER) for term in terms])
        return Verdict(Outcome.HOLD, f"suspect words: {', '.join(terms)}", category=category)
    return None


def phrases(sub: Submission) -> Verdict | None:
    """Threats, incitement and hateful generalisations, read from the sentence's shape."""
    found = patterns.find(sub.text)
    if not found:
        return None
    first = found[0]
    reason = f"{Category(first.category).label}: “{first.phrase}”"
    if first.category == Category.THREAT and sub.limits.threats == "refuse":
        return Verdict(
            Outcome.REFUSE, reason, guidelines_message(first.category), category=first.category
        )
    return Verdict(Outcome.HOLD, reason, category=first.category)


SECOND_PERSON = {"you", "your", "youre", "yours", "yourself", "yourselves", "ya", "u", "ur",
                 "yall", "thou"}  # fmt: skip
AIMED_AT = {"commenter", "commenters", "poster", "posters", "author", "writer", "journalist",
            "journalists", "reporter", "reporters", "moderator", "moderators", "person",
            "guy", "guys", "man", "woman", "bloke"}  # fmt: skip


def aimed_at_someone(words: list[str]) -> bool:
    """Whether the text addresses a person ("you ...") or the people in the discussion."""
    return any(word in SECOND_PERSON or word in AIMED_AT for word in words)


def model(sub: Submission) -> Verdict | None:
    """The offline model's score, kept on the comment; a high score holds it.

    The model scores swearing, not intent: "what a damn shame" scores as high as an
    insult. When the score comes only from mild words (conf.mild_words) and the text is
    not aimed at a person, the comment is published with its score kept for the desk.
    """
    threshold = sub.limits.toxicity
    normalised = " ".join(sub.words)
    mild = set(conf.mild_words())
    tamed = " ".join(word for word in sub.words if word not in mild)
    raw, folded, without_mild = toxicity.scores([sub.text, normalised, tamed or "."])
    sub.toxicity = max(raw, folded)
    if sub.toxicity < threshold:
        return None
    if without_mild >= threshold or aimed_at_someone(sub.words):
        return Verdict(Outcome.HOLD, f"toxicity {sub.toxicity:.2f}", category=Category.INSULT)
    return None


def newsroom_model(sub: Submission) -> Verdict | None:
    """The model trained on this desk's own decisions, once it has proved itself."""
    score = newsroom.score(sub.text)
    if score is not None and score >= sub.limits.newsroom:
        return Verdict(Outcome.HOLD, f"newsroom model {score:.2f}", category=Category.OTHER)
    return None


def spam_signals(sub: Submission) -> Verdict | None:
    found = spam.signals(sub.text)
    found = found.plus(spam.reader_signals(sub.author, sub.story, sub.text, sub.editing))
    if found.weight >= sub.limits.spam:
        return Verdict(Outcome.HOLD, "spam: " + ", ".join(found.signals), category=Category.SPAM)
    return None


def duplicate(sub: Submission) -> Verdict | None:
    """The same text by the same reader already posted on another story, recently."""
    from broadsheet.comments.models import Comment

    text = sub.text.strip()
    if len(text) < conf.duplicate_min_length() or not getattr(sub.author, "pk", None):
        return None
    since = timezone.now() - timedelta(days=conf.duplicate_window_days())
    stories = (
        Comment.objects.filter(author=sub.author, body__iexact=text, created_at__gte=since)
        .exclude(story_id=sub.story.pk)
        .values("story_id")
        .distinct()
        .count()
    )
    if stories:
        return Verdict(
            Outcome.HOLD, f"spam: same text on {stories + 1} stories", category=Category.SPAM
        )
    return None


def story_mode(sub: Submission) -> Verdict | None:
    from broadsheet.stories.rules import comments_reviewed_first

    if comments_reviewed_first(sub.story):
        return Verdict(Outcome.HOLD, "story pre-moderated")
    return None


def new_reader(sub: Submission) -> Verdict | None:
    """A reader's first comments, and links from readers with few published comments, wait."""
    from broadsheet.comments.models import Comment

    first_n = conf.new_reader_comments()
    link_n = conf.new_reader_link_comments()
    if not getattr(sub.author, "pk", None) or (not first_n and not link_n):
        return None
    previous = Comment.objects.filter(author=sub.author)
    if sub.editing is not None:
        previous = previous.exclude(pk=sub.editing.pk)
    if first_n and previous.count() < first_n:
        return Verdict(Outcome.HOLD, "new reader")
    if link_n and spam.links(sub.text):
        published = previous.filter(status=Comment.Status.PUBLISHED).count()
        if published < link_n:
            return Verdict(Outcome.HOLD, "link from a new reader", category=Category.SPAM)
    return None


PHASES: list[Phase] = [
    sanctions,
    banned_words,
    suspect_words,
    phrases,
    model,
    newsroom_model,
    spam_signals,
    duplicate,
    story_mode,
    new_reader,
]
# What ships with Broadsheet and reads only the text: what the newsroom model must beat.
SHIPPED_PHASES: list[Phase] = [banned_words, suspect_words, phrases, model, spam_signals]


def screen(
    *,
    author: Any,
    story: Any,
    text: str,
    editing: Any = None,
    phases: list[Phase] | None = None,
    sanctions: list[Sanction] | None = None,
) -> Screening:
    """Run the checks on `text` by `author` for `story` (`editing`: the comment being edited).

    `sanctions`: the author's sanctions in force (COMMENTING_KINDS), if already read.
    """
    sub = Submission(author=author, story=story, text=text, editing=editing, sanctions=sanctions)
    reasons: list[str] = []
    categories: list[str] = []
    for phase in PHASES if phases is None else phases:
        verdict = phase(sub)
        if verdict is None:
            continue
        if verdict.outcome == Outcome.REFUSE:
            return Screening(
                Outcome.REFUSE,
                [verdict.reason],
                toxicity=sub.toxicity,
                message=verdict.message,
                category=verdict.category,
            )
        reasons.append(verdict.reason)
        if verdict.category:
            categories.append(verdict.category)
    if reasons:
        return Screening(
            Outcome.HOLD,
            reasons,
            toxicity=sub.toxicity,
            message=_(HELD_MESSAGE),
            category=most_serious(categories),
        )
    return Screening(Outcome.PUBLISH, toxicity=sub.toxicity)
