"""Word-list matching that survives the usual evasions without flagging innocent words.

Text and terms are reduced to the same tokens: case folded, accents dropped, look-alike
letters (Cyrillic i U+0456, fullwidth i U+FF49) mapped to Latin ones, digits and symbols read as the
letters they stand for inside words ("1d1ot", "$hit", "@ss"), dots and dashes inside words
removed ("i.d.i.o.t", "id-iot"), and runs of single letters joined ("i d i o t").

A term matches whole tokens only, so "Scunthorpe" does not contain an offence. Repeated
letters are folded ("idiooot"), but a token shorter than the term never matches, so "as"
is not "ass". A term may end in "*" to match every word it begins ("fuck*"); a token with
"*" or "#" in it ("f*ck", "sh#t") matches a term whose other letters agree.
"""

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache

from confusable_homoglyphs import confusables

# What a digit or symbol stands for when it sits among letters.
LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g",
        "@": "a", "$": "s", "!": "i", "|": "i", "+": "t", "€": "e", "£": "l"}  # fmt: skip
WILDCARDS = "*#"
# Punctuation around a word: stripped before symbols are read as letters.
EDGE = "\"'\u201c\u201d\u2018\u2019\u00ab\u00bb()[]{}<>.,;:?!\u2026-\u2013\u2014_/\\~^`"


@cache
def _homoglyphs() -> dict[str, str]:
    """Non-ASCII characters that look like one ASCII letter, mapped to that letter."""
    table: dict[str, str] = {}
    for char, glyphs in confusables.confusables_data.items():
        if len(char) != 1 or char.isascii():
            continue
        for glyph in glyphs:
            latin = glyph["c"]
            if len(latin) == 1 and latin.isascii() and latin.isalpha():
                table[char] = latin.lower()
                break
    return table


def fold(text: str) -> str:
    """Lower case, no accents, Latin look-alikes (Cyrillic 'I', 'T' too) -> 'idiot'."""
    text = unicodedata.normalize("NFKC", text).casefold()
    homoglyphs = _homoglyphs()
    text = "".join(homoglyphs.get(char, char) for char in text)
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def _word(chunk: str) -> str:
    """One whitespace-separated chunk as a word: symbols among letters read as letters."""
    stripped = chunk.strip(EDGE)
    # "@ss", "$hit" and "!d!0t" keep a leading symbol that stands for a letter; a
    # trailing "!" is punctuation.
    start = chunk.find(stripped[:1]) if stripped else -1
    if start > 0 and chunk[start - 1] in "@$!|":
        stripped = chunk[start - 1] + stripped
    if stripped in ("@", "$", "|"):
        return LEET[stripped]  # a lone symbol among spaced-out letters: "s c u m b @ g"
    if not any(char.isalpha() for char in stripped):
        return re.sub(r"[^0-9a-z]", "", stripped)
    letters = []
    for char in stripped:
        if char.isalpha():
            letters.append(char)
        elif char in WILDCARDS:
            letters.append("*")
        elif char in LEET:
            letters.append(LEET[char])
        # anything else inside a word ("fu.ck", "id-iot", "f_u_c_k") is dropped
    return "".join(letters)


# Markdown emphasis around words ("*at last*", "__really__") is not a censored letter.
EMPHASIS = re.compile(r"(?<![\w*])(\*{1,3}|_{1,3})(?=[^\s*_])(.+?)(?<=[^\s*_])\1(?![\w*])")


def _without_emphasis(text: str) -> str:
    return EMPHASIS.sub(r"\2", text)


def tokens(text: str) -> list[str]:
    """The words of `text` as the matcher sees them, with spaced-out letters joined.

    "i d i o t" is one word; "Y o u  a r e" (a wider gap between words) is two. A run
    that starts with "a" or "i", which are words of their own, also yields the rest
    ("a f u c k i n g" -> "afucking", "fucking").
    """
    parts = re.split(r"(\s+)", fold(_without_emphasis(text)))
    words: list[tuple[str, bool]] = []  # (word, wide gap before it)
    wide = False
    for part in parts:
        if not part:
            continue
        if part.isspace():
            wide = len(part) >= 2
            continue
        if word := _word(part):
            words.append((word, wide))
        wide = False
    result: list[str] = []
    run: list[str] = []

    def close_run() -> None:
        if len(run) >= 3:
            joined = "".join(run)
            result.append(joined)
            if run[0] in {"a", "i"} and len(run) >= 4:
                result.append(joined[1:])
        else:
            result.extend(run)
        run.clear()

    for word, wide_gap in words:
        if len(word) == 1 and word.isalpha():
            if wide_gap:
                close_run()
            run.append(word)
            continue
        close_run()
        result.append(word)
    close_run()
    return result


def squeeze(word: str) -> str:
    """Repeated letters folded: 'idiooot' -> 'idiot'."""
    return re.sub(r"(.)\1+", r"\1", word)


def term_tokens(term: str) -> tuple[str, ...]:
    """A term as the tokens it must match; a trailing '*' on a word is kept as a prefix mark."""
    words = []
    for chunk in fold(term).split():
        prefix = chunk.endswith("*")
        word = _word(chunk.rstrip("*")).replace("*", "")
        if word:
            words.append(word + ("*" if prefix else ""))
    return tuple(words)


def term_key(term: str) -> str:
    """The normalised form under which a term is stored once."""
    return " ".join(term_tokens(term))


def _wildcard_regex(word: str) -> re.Pattern[str]:
    """A censored word as a pattern: each '*' stands for one letter ("f**k", "sh*t")."""
    return re.compile("".join("[a-z]" if c == "*" else re.escape(c) for c in word))


def _letters(word: str) -> int:
    return sum(char != "*" for char in word)


def _word_matches(pattern: str, word: str) -> bool:
    if "*" in word:
        # A censored word: it needs two real letters, and a star on its edge is not enough
        # to say what it hides.
        if _letters(word) < 2 or word.startswith("*"):
            return False
        if pattern.endswith("*"):
            stem = pattern[:-1]
            # "f*cking" matches "fuck*" if its beginning, as long as the stem, matches it
            head = word[: len(stem)]
            return len(word) >= len(stem) and bool(_wildcard_regex(head).fullmatch(stem))
        return _wildcard_regex(word).fullmatch(pattern) is not None
    if pattern.endswith("*"):
        stem = pattern[:-1]
        return word.startswith(stem) or squeeze(word).startswith(squeeze(stem))
    if word in (pattern, pattern + "s", pattern + "es"):
        return True  # plurals: "idiots"
    return len(word) >= len(pattern) and squeeze(word) in (squeeze(pattern), squeeze(pattern) + "s")


@dataclass(frozen=True)
class Match:
    term: str
    found: str


class Matcher:
    """A compiled word list: `find(text)` returns the terms present in `text`.

    Terms are indexed by their first word's squeezed form, so a comment is checked
    against the few terms its words could match rather than the whole list.
    """

    def __init__(self, terms: Iterable[str]) -> None:
        self.terms: list[tuple[str, tuple[str, ...]]] = [
            (term, words) for term in terms if (words := term_tokens(term))
        ]
        self._by_first: dict[str, list[int]] = {}
        # Prefix terms ("fuck*") by their first letter: a word they match begins with it.
        self._prefixed: dict[str, list[int]] = {}
        for index, (_, words) in enumerate(self.terms):
            if words[0].endswith("*"):
                self._prefixed.setdefault(words[0][:1], []).append(index)
            else:
                self._by_first.setdefault(squeeze(words[0]), []).append(index)

    def _candidates(self, word: str) -> Iterable[int]:
        if "*" in word:
            return range(len(self.terms))  # a censored word: compare with every term
        key = squeeze(word)
        found = list(self._prefixed.get(word[:1], ()))
        for stem in {key, key.removesuffix("s"), key.removesuffix("es")}:
            found.extend(self._by_first.get(stem, ()))
        return found

    def find(self, text: str) -> list[Match]:
        return self.find_in(tokens(text))

    def find_in(self, words: Sequence[str]) -> list[Match]:
        found: dict[int, Match] = {}
        for start, word in enumerate(words):
            for index in self._candidates(word):
                if index in found:
                    continue
                term, pattern = self.terms[index]
                window = words[start : start + len(pattern)]
                if len(window) == len(pattern) and all(
                    _word_matches(p, w) for p, w in zip(pattern, window, strict=True)
                ):
                    found[index] = Match(term=term, found=" ".join(window))
        return [found[index] for index in sorted(found)]
