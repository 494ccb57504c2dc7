"""The banned and suspect word lists, compiled once per process and per change.

A version stamp in the shared store says when the lists last changed: every worker process
compares it with the stamp its compiled lists were made from, so a moderator's change on
one worker screens the next comment on every other.
"""

import time
from dataclasses import dataclass

from django.core.cache import cache

from broadsheet.core.cache import CacheUnavailableError
from broadsheet.moderation.categories import Category
from broadsheet.moderation.matching import Matcher
from broadsheet.moderation.models import Term

VERSION_KEY = "moderation:terms-version"


@dataclass(frozen=True)
class Lists:
    banned: Matcher
    suspect: Matcher
    categories: dict[str, str]  # term text -> category


_compiled: tuple[int, Lists] | None = None


def changed() -> None:
    """Call after a term is added or removed: every process recompiles on its next check.

    Raises CacheUnavailableError while the shared store is down, so that the change is not made:
    a process that kept its lists through the outage would never learn of it.
    """
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no stamp yet: a new or emptied store, where nobody's lists match
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)


def _version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(VERSION_KEY)
        if version is None:
            raise CacheUnavailableError
    return int(version)


def _compile() -> Lists:
    terms = list(Term.objects.values_list("kind", "text", "category"))
    return Lists(
        banned=Matcher(text for kind, text, _ in terms if kind == Term.Kind.BANNED),
        suspect=Matcher(text for kind, text, _ in terms if kind == Term.Kind.SUSPECT),
        categories={text: category for _, text, category in terms},
    )


def current() -> Lists:
    """The lists as they are now, compiled; recompiled only when a moderator changed them."""
    global _compiled
    try:
        version = _version()
    except CacheUnavailableError:
        return _compile()  # without the stamp, only the database says what is current
    if _compiled is None or _compiled[0] != version:
        _compiled = (version, _compile())
    return _compiled[1]


# The lists a new site starts with, by category; moderators edit them on the desk. Banned:
# slurs, threats and incitement that no context makes acceptable. Suspect: insults and
# dehumanising language that usually, not always, attacks a person.
DEFAULT_BANNED = {
    Category.HATE: [
        "nigger*", "nigga*", "faggot*", "fag", "kike*", "spic", "chink", "tranny", "wetback*",
        "raghead*", "paki", "pakis", "gyppo*", "muzzie*",
    ],
    Category.THREAT: [
        "kill yourself", "kill urself", "kys", "go kill yourself", "hope you die",
        "hope you get cancer", "get cancer and die", "die in a fire", "rape you", "rapes you",
        "i will kill you", "i'll kill you", "find out where you live", "i know where you live",
        "hang him", "hang her", "hang them", "should be shot", "line them up against a wall",
        "should have swallowed you", "go jump off a bridge",
    ],
    Category.INSULT: ["cunt*", "motherfucker*"],
}  # fmt: skip
DEFAULT_SUSPECT = {
    Category.INSULT: [
        "idiot", "moron", "imbecile", "cretin", "retard*", "dumbass", "dumb4ss", "jackass",
        "asshole*", "arsehole*", "ass", "arse", "a-hole", "dipshit", "bitch*", "bastard*",
        "prick", "dicks", "dickhead*", "douche*", "jerk", "loser*", "scum*", "scumbag*",
        "degenerate*",
        "inbred", "hag", "slob", "shill", "sheeple", "snowflake*", "libtard*", "brainless",
        "brain-dead", "braindead", "half a brain", "waste of oxygen", "shut up", "stfu",
        "shut your", "piss off", "eff you", "f yourself", "fuck*", "shit*", "wanker*",
        "tosser*", "twat*", "bellend*", "pillock*", "halfwit*", "numpty", "muppet",
    ],
    Category.HATE: [
        "vermin", "subhuman", "cockroaches", "go back where you came from",
        "go back to your country", "go back to your cave", "stay in the kitchen",
        "should be deported", "your kind", "you people", "poof", "poofs", "homos",
    ],
    Category.THREAT: [
        "i would slap you", "slap you", "pay you a visit", "someone should burn",
        "someone should shoot", "someone should kill", "somebody should burn",
        "somebody should shoot", "should be hanged", "drop dead",
    ],
    Category.SEXUAL: ["whore*", "slut*", "slag*", "send nudes"],
}  # fmt: skip


def default_terms() -> list[str]:
    """Every term of the default lists, banned and suspect."""
    return [
        text
        for lists in (DEFAULT_BANNED, DEFAULT_SUSPECT)
        for texts in lists.values()
        for text in texts
    ]


def install_defaults(actor: object = None) -> int:
    """Add the default lists' terms that are missing; returns how many were added."""
    from broadsheet.moderation.matching import term_key

    existing = set(Term.objects.values_list("key", flat=True))
    new = []
    for kind, lists in ((Term.Kind.BANNED, DEFAULT_BANNED), (Term.Kind.SUSPECT, DEFAULT_SUSPECT)):
        for category, texts in lists.items():
            for text in texts:
                key = term_key(text)
                if key and key not in existing:
                    existing.add(key)
                    new.append(
                        Term(text=text, key=key, kind=kind, category=category, note="default list")
                    )
                elif key:
                    # Terms installed before they had categories get theirs.
                    Term.objects.filter(
                        key=key, note="default list", category=Category.OTHER
                    ).update(category=category)
    Term.objects.bulk_create(new)
    changed()
    return len(new)
