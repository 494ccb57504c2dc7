"""Display names: the rules a name must pass, and the key that makes look-alikes clash.

Pure functions, no database: the service in `services.py` adds the rules that need one
(taken, held for a former owner, how often a reader may change).
"""

import json
import re
import unicodedata
from collections.abc import Iterable
from functools import cache
from importlib import resources

from django.utils.translation import gettext_lazy

from broadsheet.accounts import conf

MIN_LENGTH = 3
# Chinese and Japanese names are often two characters (李明, 田中): allowed when every
# character of the name is a kanji/hanzi, hiragana or katakana.
CJK_MIN_LENGTH = 2
MAX_LENGTH = 30
PUNCTUATION = ".-_'"
CJK_RANGES = (
    (0x3005, 0x3006),  # 々 〆
    (0x3041, 0x309F),  # hiragana
    (0x30A1, 0x30FF),  # katakana, with the prolonged sound mark ー
    (0x31F0, 0x31FF),  # small katakana
    (0x3400, 0x4DBF),  # CJK unified ideographs, extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0x20000, 0x3134F),  # CJK unified ideographs, extensions B to G
)
# A name may carry a letter's accents, but not a tower of them ("Zalgo" text).
MAX_MARKS_PER_LETTER = 2

# Apostrophes that phones and word processors type instead of ASCII's, taken as "'".
APOSTROPHES = str.maketrans(dict.fromkeys("\u2019\u02bc\u2018\u00b4", "'"))

BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
# Characters that draw nothing but are not format controls (Unicode "default ignorable").
INVISIBLE_EXTRA = frozenset(
    "\u034f\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180e\u180f\u2800\u3164\uffa0"
)

EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]{2,}")
URL = re.compile(
    r"(?:https?:|ftp:|www\.|://)"
    r"|\w\.(?:com|net|org|info|io|co|uk|de|fr|ru|cn|biz|xyz|me|tv|app|dev|news|online|site|"
    r"top|club|shop|ly|gg|to|in|us|eu|ai)(?:\W|$)",
    re.IGNORECASE,
)
HANDLE = re.compile(r"@\w")
WORD_SEPARATORS = re.compile(r"[\s.\-_']+")

# Look-alikes the Unicode skeleton keeps apart but readers do not: after the skeleton has
# turned "1" and "I" into "l", an "i" is the same letter to the eye, and so is "5" to "s".
LOOKALIKES = str.maketrans({"l": "i", "5": "s"})
KEY_SEPARATORS = str.maketrans(dict.fromkeys(" .-_'"))

MESSAGES = {
    "required": gettext_lazy("Enter a display name."),
    "control": gettext_lazy(
        "Remove the control characters (such as tabs or line breaks) from the name."
    ),
    "bidi": gettext_lazy(
        "Remove the characters that change the direction of text: "
        "they can make a name read differently from how it is stored."
    ),
    "invisible": gettext_lazy(
        "Remove the invisible characters (such as zero-width spaces) from the name."
    ),
    "marks": gettext_lazy("Use at most two accents or marks on a letter."),
    "too_short": gettext_lazy("Use at least %(min_length)s characters."),
    "too_long": gettext_lazy("Use at most %(max_length)s characters."),
    "edge_space": gettext_lazy("Remove the spaces at the start or end of the name."),
    "repeated_space": gettext_lazy("Use single spaces between words."),
    "email": gettext_lazy(
        "Leave e-mail addresses out of your display name: it is shown to everyone."
    ),
    "url": gettext_lazy("Leave web addresses out of your display name."),
    "handle": gettext_lazy("Leave @handles out of your display name."),
    "characters": gettext_lazy(
        "Use only letters, digits, spaces and the characters . - _ ' "
        "(not allowed here: {characters})."
    ),
    "no_letter": gettext_lazy("Include at least one letter."),
    "reserved": (
        gettext_lazy(
            "That name is reserved: it could pass for the site or its staff. Choose another."
        )
    ),
    "offensive": gettext_lazy("That name may offend other readers. Choose another."),
}


class DisplayNameError(ValueError):
    """A name that breaks a rule: `code` for programs, `message` says what to change."""

    def __init__(self, code: str, message: str | None = None) -> None:
        self.code = code
        limits = {"min_length": MIN_LENGTH, "max_length": MAX_LENGTH}
        self.message = message or str(MESSAGES[code]) % limits
        super().__init__(self.message)


def normalise(name: str) -> str:
    """The form a name is checked and stored in: Unicode NFKC, with ASCII apostrophes."""
    return unicodedata.normalize("NFKC", name.translate(APOSTROPHES))


# --- the confusable skeleton (Unicode Technical Standard #39) ------------------------------


@cache
def _prototypes() -> dict[str, str]:
    """Each confusable character -> its prototype, from Unicode's confusables data.

    confusable-homoglyphs ships confusables.txt as a symmetric table (each source lists
    its target, each target its sources), so the direction is read back from it: a source
    has exactly one entry. A pair whose members have one entry each could go either way;
    both then map to the lower code point, which keeps the pair one class.
    """
    raw = json.loads(
        resources.files("confusable_homoglyphs").joinpath("confusables.json").read_text("utf-8")
    )

    def clean(text: str) -> str:
        # The data wraps right-to-left characters in marks that are not part of them.
        return text.replace("\u200e", "").replace("\u200f", "")

    entries = {clean(key): [clean(item["c"]) for item in items] for key, items in raw.items()}
    mapping: dict[str, str] = {}
    for char, others in entries.items():
        if len(char) != 1 or len(others) != 1:
            continue
        target = others[0]
        if len(target) == 1 and len(entries.get(target, ())) == 1 and ord(char) < ord(target):
            continue
        mapping[char] = target
    return mapping


def skeleton(text: str) -> str:
    """UTS #39 skeleton: NFD, each character to its prototype, NFD again."""
    prototypes = _prototypes()
    current = unicodedata.normalize("NFD", text)
    # Prototypes are fixed points; a second pass settles the pairs chosen by code point.
    for _ in range(2):
        current = unicodedata.normalize(
            "NFD", "".join(prototypes.get(char, char) for char in current)
        )
    return current


def _fold(text: str) -> str:
    return text.translate(LOOKALIKES).translate(KEY_SEPARATORS)


def display_name_key(name: str) -> str:
    """The form two names share when a reader could mistake one for the other.

    Case, Unicode look-alikes (Greek small alpha for "a", "rn" for "m"), 0, 1 and 5 for
    o, l/i and s, and the separators between words are all folded away. Case is folded
    first, so a Greek or Cyrillic name in capitals shares the key of the same name in
    small letters.
    """
    return _fold(skeleton(skeleton(normalise(name).casefold()).casefold()))


def display_name_glyph_key(name: str) -> str:
    """Like `display_name_key`, but look-alikes are folded before case.

    Some capitals look like Latin ones while their small letters do not (Greek capital
    eta is an "H", its small letter is not an "h"), so no single key catches both a name
    in Greek capitals posing as a Latin one and a change of case. A name must differ from
    the others by both keys.
    """
    return _fold(skeleton(skeleton(normalise(name)).casefold()))


def look_alike(one: str, other: str) -> bool:
    """Whether a reader could take one name for the other: they share either key."""
    return display_name_key(one) == display_name_key(other) or display_name_glyph_key(
        one
    ) == display_name_glyph_key(other)


# --- the rules -------------------------------------------------------------------------------


def _is_cjk_char(char: str) -> bool:
    point = ord(char)
    return any(low <= point <= high for low, high in CJK_RANGES)


def is_cjk(name: str) -> bool:
    """Whether every character of the name is a kanji/hanzi, hiragana or katakana."""
    return bool(name) and all(_is_cjk_char(char) for char in name)


def min_length_for(name: str) -> int:
    """The fewest characters the name may have: 2 in Chinese or Japanese script, else 3."""
    return CJK_MIN_LENGTH if is_cjk(name) else MIN_LENGTH


def _check_characters(name: str) -> None:
    """Control, direction-changing and invisible characters, checked before NFKC hides any."""
    if any(unicodedata.category(char) == "Cc" for char in name):
        raise DisplayNameError("control")
    if any(char in BIDI_CONTROLS for char in name):
        raise DisplayNameError("bidi")
    if any(unicodedata.category(char) == "Cf" or char in INVISIBLE_EXTRA for char in name):
        raise DisplayNameError("invisible")
    marks = 0
    for char in name:
        marks = marks + 1 if unicodedata.category(char).startswith("M") else 0
        if marks > MAX_MARKS_PER_LETTER:
            raise DisplayNameError("marks")


def _allowed(char: str, previous: str) -> bool:
    category = unicodedata.category(char)
    if category.startswith("L") or category == "Nd" or char == " " or char in PUNCTUATION:
        return True
    # Accents and vowel signs belong to the letter before them.
    return category.startswith("M") and unicodedata.category(previous or " ")[0] in "LM"


def _disallowed(name: str) -> list[str]:
    found: list[str] = []
    for index, char in enumerate(name):
        if not _allowed(char, name[index - 1] if index else "") and char not in found:
            found.append(char)
    return found


def _words(name: str) -> list[str]:
    return [word for word in WORD_SEPARATORS.split(name) if word]


def _contains_phrase(word_keys: list[str], phrase: str) -> bool:
    """Whether consecutive words of the name read as `phrase`, look-alikes folded."""
    wanted = display_name_key(phrase)
    size = max(1, len(_words(phrase)))
    return any(
        "".join(word_keys[start : start + size]) == wanted
        for start in range(len(word_keys) - size + 1)
    )


def is_reserved(name: str) -> bool:
    key = display_name_key(name)
    if key in {display_name_key(reserved) for reserved in conf.reserved_names()}:
        return True
    word_keys = [display_name_key(word) for word in _words(name)]
    if any(_contains_phrase(word_keys, word) for word in conf.reserved_words()):
        return True
    # Chinese and Japanese put no spaces between words: "公式アカウント" holds "公式".
    return any(display_name_key(word) in key for word in conf.reserved_words() if is_cjk(word))


# The classifier's answers, remembered: it is deterministic, and scoring many names in one
# call (an import's authors) costs little more than scoring one.
_SCORES: dict[str, float] = {}
_SCORES_KEPT = 50_000


def offensive_probability(texts: Iterable[str]) -> list[float]:
    """The offline classifier's probability that each text is offensive."""
    # Imported here: loading the model takes seconds and most requests never need it.
    from profanity_check import predict_prob

    wanted = list(texts)
    missing = list(dict.fromkeys(text for text in wanted if text not in _SCORES))
    if missing:
        if len(_SCORES) + len(missing) > _SCORES_KEPT:
            _SCORES.clear()
        _SCORES.update(zip(missing, map(float, predict_prob(missing)), strict=True))
    return [_SCORES[text] for text in wanted]


def score_names(names: Iterable[str]) -> None:
    """Score many names in one call, so checking each of them afterwards is quick."""
    offensive_probability(" ".join(_words(name)) for name in names)


def is_offensive(name: str) -> bool:
    key = display_name_key(name)
    word_keys = [display_name_key(word) for word in _words(name)]
    for word in conf.offensive_words():
        # Short words only as whole words, so "Scunthorpe" and "Ashitaka" stay allowed.
        if _contains_phrase(word_keys, word):
            return True
        if len(word) >= 5 and display_name_key(word) in key:
            return True
    spaced = " ".join(_words(name))
    return max(offensive_probability([spaced])) >= conf.offensive_threshold()


def check_display_name(name: str) -> str:
    """The name as it will be stored, or DisplayNameError naming the first rule it breaks."""
    if not name or not name.strip():
        raise DisplayNameError("required")
    _check_characters(name)
    name = normalise(name)
    _check_characters(name)  # NFKC can compose new characters; check them too
    if len(name) < (shortest := min_length_for(name)):
        raise DisplayNameError("too_short", str(MESSAGES["too_short"]) % {"min_length": shortest})
    if len(name) > MAX_LENGTH:
        raise DisplayNameError("too_long")
    if name != name.strip():
        raise DisplayNameError("edge_space")
    if "  " in name:
        raise DisplayNameError("repeated_space")
    if EMAIL.search(name):
        raise DisplayNameError("email")
    if URL.search(name):
        raise DisplayNameError("url")
    if HANDLE.search(name):
        raise DisplayNameError("handle")
    if bad := _disallowed(name):
        shown = ", ".join(f"“{char}”" for char in bad)
        raise DisplayNameError("characters", str(MESSAGES["characters"]).format(characters=shown))
    if not any(unicodedata.category(char).startswith("L") for char in name):
        raise DisplayNameError("no_letter")
    if is_reserved(name):
        raise DisplayNameError("reserved")
    if is_offensive(name):
        raise DisplayNameError("offensive")
    return name


RULES_HELP = (
    f"{MIN_LENGTH} to {MAX_LENGTH} characters: letters of any alphabet, digits, spaces "
    "and . - _ ' ; single spaces between words. No e-mail or web addresses, no @handles, "
    "no names that could pass for the site or its staff. Names that look alike count as "
    "the same name (for example “Anna”, “anna” and “\u0410nna” with a Cyrillic \u0410)."
)
