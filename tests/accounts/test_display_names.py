"""The display name rules and the look-alike key, as properties over generated names."""

# ruff: noqa: RUF001 - look-alike letters from other scripts are what these tests are about

import string
import unicodedata
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from broadsheet.accounts.display_names import (
    BIDI_CONTROLS,
    CJK_MIN_LENGTH,
    INVISIBLE_EXTRA,
    MAX_LENGTH,
    MESSAGES,
    MIN_LENGTH,
    PUNCTUATION,
    DisplayNameError,
    check_display_name,
    display_name_glyph_key,
    display_name_key,
    is_cjk,
    look_alike,
    normalise,
)

# The classifier loads in seconds on first use; examples must not be timed against that.
rules = settings(deadline=None, max_examples=150, suppress_health_check=[HealthCheck.too_slow])


def _stable(char: str) -> bool:
    """A visible letter that NFKC leaves alone (Hangul fillers are letters that draw nothing)."""
    return unicodedata.normalize("NFKC", char) == char and char not in INVISIBLE_EXTRA


letters = st.characters(categories=["Lu", "Ll", "Lo"]).filter(_stable)
word = st.text(alphabet=letters | st.sampled_from(string.digits), min_size=1, max_size=8)
first_word = st.builds(lambda head, rest: head + rest, letters, word | st.just(""))
joiner = st.sampled_from([" ", "-", "_", "'"])


@st.composite
def valid_names(draw: st.DrawFn) -> str:
    words = [draw(first_word), *draw(st.lists(word, max_size=4))]
    name = words[0]
    for following in words[1:]:
        name += draw(joiner) + following
    assume(MIN_LENGTH <= len(name) <= MAX_LENGTH)
    return name


def code_of(name: str) -> str | None:
    try:
        check_display_name(name)
    except DisplayNameError as error:
        return error.code
    return None


# --- what a good name looks like ---------------------------------------------------------


@rules
@given(valid_names())
def test_names_of_letters_digits_and_joiners_in_any_script_are_accepted(name: str) -> None:
    code = code_of(name)
    # A random word can still spell a reserved or offensive one; nothing else may refuse.
    assert code in {None, "reserved", "offensive"}
    if code is None:
        assert check_display_name(name) == normalise(name)


@rules
@given(st.text(max_size=40))
def test_any_input_is_refused_with_a_known_rule_or_stored_in_a_form_that_keeps_them_all(
    text: str,
) -> None:
    code = code_of(text)
    if code is not None:
        assert code in MESSAGES
        return
    stored = check_display_name(text)
    assert stored == unicodedata.normalize("NFKC", stored)
    assert MIN_LENGTH <= len(stored) <= MAX_LENGTH
    assert stored == stored.strip()
    assert "  " not in stored
    assert any(unicodedata.category(char).startswith("L") for char in stored)
    for char in stored:
        category = unicodedata.category(char)
        assert category[0] in "LM" or category == "Nd" or char == " " or char in PUNCTUATION


@pytest.mark.parametrize(
    "name",
    [
        "Harbour Watcher",
        "O'Brien",
        "Zoë Ångström",
        "Дмитрий",
        "محمد علي",
        "山田 太郎",
        "J.R. Hartley",
    ],
)
def test_real_names_are_accepted(name: str) -> None:
    assert check_display_name(name) == name


def test_typographic_apostrophes_are_stored_as_ascii() -> None:
    assert check_display_name("O\u2019Brien") == "O'Brien"


def test_fullwidth_letters_are_normalised_by_nfkc() -> None:
    assert check_display_name("Ｈａｒｂｏｕｒ") == "Harbour"


# --- each rule, with its own message ----------------------------------------------------------


@rules
@given(valid_names(), st.sampled_from(sorted(BIDI_CONTROLS)), st.integers(0, 40))
def test_direction_overrides_are_refused(name: str, control: str, at: int) -> None:
    assert code_of(name[:at] + control + name[at:]) == "bidi"


@rules
@given(valid_names(), st.sampled_from(["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u3164"]))
def test_invisible_characters_are_refused(name: str, invisible: str) -> None:
    assert code_of(name[:1] + invisible + name[1:]) == "invisible"


@rules
@given(valid_names(), st.characters(categories=["Cc"]))
def test_control_characters_are_refused(name: str, control: str) -> None:
    assert code_of(name + control) == "control"


@rules
@given(valid_names(), st.sampled_from(["start", "end"]))
def test_spaces_at_either_end_are_refused(name: str, where: str) -> None:
    assume(len(name) < MAX_LENGTH)
    padded = " " + name if where == "start" else name + " "
    assert code_of(padded) == "edge_space"


@rules
@given(valid_names())
def test_repeated_spaces_are_refused(name: str) -> None:
    assume(" " in name and len(name) < MAX_LENGTH)
    assert code_of(name.replace(" ", "  ", 1)) == "repeated_space"


@rules
@given(st.text(alphabet=string.ascii_letters, min_size=MAX_LENGTH + 1, max_size=60))
def test_long_names_are_refused(name: str) -> None:
    assert code_of(name) == "too_long"


@rules
@given(st.text(alphabet=letters, min_size=1, max_size=MIN_LENGTH - 1))
def test_short_names_are_refused(name: str) -> None:
    # Two characters are enough in Chinese or Japanese script (tested below).
    assume(len(name) < CJK_MIN_LENGTH or not is_cjk(name))
    assert code_of(name) == "too_short"


@rules
@given(valid_names(), st.sampled_from(list('!#$%&*+,/;<=>?[]^`{|}~"()')))
def test_other_symbols_are_refused_and_named(name: str, symbol: str) -> None:
    assume(len(name) < MAX_LENGTH)
    with pytest.raises(DisplayNameError) as refused:
        check_display_name(name + symbol)
    assert refused.value.code == "characters"
    assert f"“{symbol}”" in refused.value.message


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("", "required"),
        ("   ", "required"),
        ("e\u0301\u0301\u0301 Zalgo", "marks"),
        ("mail me at anna@example.org", "email"),
        ("anna@example.org", "email"),
        ("see https://x.example", "url"),
        ("www.annas", "url"),
        ("annas-blog.com", "url"),
        ("follow @anna", "handle"),
        ("12345", "no_letter"),
        ("...--", "no_letter"),
        ("Admin", "reserved"),
        ("A.D.M.I.N", "reserved"),
        ("Adm1n", "reserved"),
        ("Admin Team", "reserved"),
        ("Site Moderator", "reserved"),
        ("Deleted", "reserved"),
        ("Broadsheet", "reserved"),
        ("Broadsheet Desk", "reserved"),
        ("Fuck Face", "offensive"),
        ("Dumb Bitch", "offensive"),
        ("Hitler Fan", "offensive"),
        ("N1gger", "offensive"),
    ],
)
def test_each_rule_has_its_own_message(name: str, code: str) -> None:
    with pytest.raises(DisplayNameError) as refused:
        check_display_name(name)
    assert refused.value.code == code
    assert refused.value.message


def test_every_rule_message_is_different() -> None:
    assert len(set(MESSAGES.values())) == len(MESSAGES)


@pytest.mark.parametrize("name", ["Scunthorpe Fan", "Ashitaka", "Badminton Club", "Sussex Walker"])
def test_innocent_names_containing_bad_letters_are_accepted(name: str) -> None:
    assert check_display_name(name) == name


def test_reserved_names_follow_settings(settings: Any) -> None:
    settings.SITE_NAME = "The Harbour Times"
    settings.ACCOUNTS_RESERVED_NAMES = ["Night Desk"]
    assert code_of("Night_Desk") == "reserved"
    assert code_of("The Harbour Times") == "reserved"
    assert code_of("Deleted") is None


# --- the look-alike key ----------------------------------------------------------------------

HOMOGLYPHS = {
    "a": ["а", "ɑ"],
    "c": ["с"],
    "e": ["е"],
    "i": ["і", "1", "l", "I", "ı"],
    "l": ["1", "I", "ӏ"],
    "m": ["rn"],
    "o": ["о", "ο", "0", "O"],
    "p": ["р", "ρ"],
    "s": ["ѕ", "5"],
    "x": ["х"],
    "y": ["у"],
    "A": ["Α", "А", "a"],
    "B": ["Β", "В"],
    "E": ["Ε", "Е"],
    "H": ["Η", "Н"],
    "K": ["Κ", "К"],
    "M": ["Μ", "М"],
    "O": ["Ο", "О", "0"],
    "P": ["Ρ", "Р"],
    "T": ["Τ", "Т"],
    "X": ["Χ", "Х"],
}

latin_names = st.text(alphabet=string.ascii_letters + " ", min_size=3, max_size=20).filter(
    lambda name: name.strip() == name and "  " not in name
)


@st.composite
def look_alike_of(draw: st.DrawFn, name: str) -> str:
    chars = []
    for char in name:
        options = HOMOGLYPHS.get(char, [])
        chars.append(draw(st.sampled_from([char, *options])) if options else char)
    return "".join(chars)


@settings(max_examples=300)
@given(st.data())
def test_look_alike_spellings_clash(data: st.DataObject) -> None:
    name = data.draw(latin_names)
    variant = data.draw(look_alike_of(name))
    assert look_alike(variant, name)
    assert look_alike(variant.upper(), name.lower())


@settings(max_examples=300)
@given(valid_names())
def test_case_does_not_change_the_key(name: str) -> None:
    assert display_name_key(name.upper()) == display_name_key(name.lower())


@given(valid_names())
def test_the_keys_fit_their_columns(name: str) -> None:
    assert len(display_name_key(name)) <= 200
    assert len(display_name_glyph_key(name)) <= 200


@pytest.mark.parametrize(
    "variant",
    [
        "admin",
        "Admin",
        "ADMIN",
        "Αdmin",
        "Аdmin",
        "Adm1n",
        "AdmIn",
        "adrnin",
        "ａｄｍｉｎ",
        "Ad_min",
    ],
)
def test_admin_and_its_look_alikes_share_both_keys(variant: str) -> None:
    assert display_name_key(variant) == display_name_key("admin")
    assert display_name_glyph_key(variant) == display_name_glyph_key("admin")


@pytest.mark.parametrize(
    ("capitals", "latin"), [("ΗΑΝΝΑ", "HANNA"), ("НАТО", "HATO"), ("ΚΑΤΕ", "KATE")]
)
def test_greek_and_cyrillic_capitals_posing_as_latin_clash(capitals: str, latin: str) -> None:
    assert look_alike(capitals, latin)
    assert look_alike(capitals, latin.lower())


@pytest.mark.parametrize(
    ("one", "other"),
    [("Anna", "Hanna"), ("Mara", "Maria"), ("Zoë", "Zoe"), ("Jon", "Jan"), ("Дмитрий", "Dmitri")],
)
def test_different_names_do_not_clash(one: str, other: str) -> None:
    assert not look_alike(one, other)


# --- names in Chinese or Japanese script ---------------------------------------------------

cjk_letters = st.sampled_from("田中李明王山本佐藤鈴木あいうえおかきくけこアイウエオカキクケコヤマ")


@rules
@given(st.text(alphabet=cjk_letters, min_size=CJK_MIN_LENGTH, max_size=MIN_LENGTH - 1))
def test_two_character_names_in_chinese_or_japanese_script_are_allowed(name: str) -> None:
    assume(code_of(name) != "reserved")
    assert check_display_name(name) == name


@pytest.mark.parametrize("name", ["田中", "李明", "さく", "ヤマ", "佐々"])
def test_common_two_character_names_are_allowed(name: str) -> None:
    assert check_display_name(name) == name


@pytest.mark.parametrize("name", ["Al", "Bo", "田a", "a田", "李 ", "12"])
def test_two_characters_in_other_scripts_or_mixed_are_still_too_short(name: str) -> None:
    assert code_of(name) in {"too_short", "edge_space"}
    if code_of(name) == "too_short":
        with pytest.raises(DisplayNameError) as refused:
            check_display_name(name)
        assert refused.value.message == "Use at least 3 characters."


def test_one_character_is_too_short_in_any_script() -> None:
    with pytest.raises(DisplayNameError) as refused:
        check_display_name("田")
    assert refused.value.code == "too_short"
    assert refused.value.message == "Use at least 2 characters."


@pytest.mark.parametrize(
    "name", ["公式", "運営", "管理者", "公式アカウント", "編集部です", "読者", "匿名", "读者"]
)
def test_short_names_keep_the_impersonation_rules(name: str) -> None:
    assert code_of(name) == "reserved"


def test_two_character_look_alikes_still_clash() -> None:
    # Full-width and half-width katakana are one name once NFKC has folded them.
    assert look_alike("ヤマ", "ﾔﾏ")
    assert display_name_key("ﾔﾏ") == display_name_key("ヤマ")
