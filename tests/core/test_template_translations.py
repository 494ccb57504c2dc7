"""Every text a template shows goes through Django's translation machinery.

The scan reads each template's text outside {% translate %} and {% blocktranslate %}:
what is left once tags, `{{ variables }}`, HTML entities, scripts, styles and comments
are taken out must hold no letters (whitespace and punctuation are fine). The attributes
people read (aria-label, title, placeholder, alt, hx-confirm) are checked the same way.
"""

import re
from pathlib import Path

from django.template.base import Lexer, TokenType

SRC = Path(__file__).resolve().parents[2] / "src" / "broadsheet"
# Text that is the same in every language: names and marks, not words to translate.
ALLOWED = {"Broadsheet"}
READ_ATTRIBUTES = ("aria-label", "title", "placeholder", "alt", "hx-confirm", "data-confirm")

GAP = "\x01"  # where a tag that is not a translation stood: text on either side is separate
_SKIP_BLOCKS = {"comment": "endcomment", "verbatim": "endverbatim"}
_TRANSLATE_BLOCKS = {"blocktranslate": "endblocktranslate", "blocktrans": "endblocktrans"}
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)
_SCRIPT = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.S | re.I)
_ATTRIBUTE = re.compile(
    r"\s(" + "|".join(READ_ATTRIBUTES) + r""")\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I
)
_TAG = re.compile(r"</?[A-Za-z!][^>]*>")
_ENTITY = re.compile(r"&(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#x[0-9A-Fa-f]+);")


def _outside_translation(source: str) -> str:
    """The template's text with translated parts and variables removed."""
    out: list[str] = []
    closing: str | None = None  # inside a block whose text is not checked until this tag
    for token in Lexer(source).tokenize():
        if closing:
            if token.token_type == TokenType.BLOCK and token.contents.split()[0] == closing:
                closing = None
                out.append(GAP)
            continue
        if token.token_type == TokenType.TEXT:
            out.append(token.contents)
        elif token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0]
            closing = _SKIP_BLOCKS.get(name) or _TRANSLATE_BLOCKS.get(name)
            # {% translate %} stands for translated text; any other tag separates texts.
            out.append("" if name in {"translate", "trans"} else GAP)
        # Variables and {# comments #} are not text of the template.
    return "".join(out)


def untranslated(source: str) -> list[str]:
    """The texts of a template that are shown to people without being translated."""
    text = _SCRIPT.sub(GAP, _HTML_COMMENT.sub(GAP, _outside_translation(source)))
    found = [m.group(2) or m.group(3) or "" for m in _ATTRIBUTE.finditer(text)]
    found += _TAG.sub(GAP, text).split(GAP)
    texts = []
    for piece in found:
        words = " ".join(_ENTITY.sub(" ", piece).split())
        if any(ch.isalpha() for ch in words) and words not in ALLOWED:
            texts.append(words)
    return texts


def _templates() -> list[Path]:
    return sorted(
        path
        for path in SRC.glob("**/templates/**/*")
        if path.suffix in {".html", ".txt"} and path.is_file()
    )


def test_every_template_text_is_translated() -> None:
    problems = [
        f"{path.relative_to(SRC)}: {text!r}"
        for path in _templates()
        for text in untranslated(path.read_text())
    ]
    assert not problems, "Wrap these in {% translate %} or {% blocktranslate %}:\n" + "\n".join(
        problems
    )


def test_the_scan_sees_templates() -> None:
    assert len(_templates()) > 50


def test_the_scan_finds_untranslated_text_and_names_it() -> None:
    source = """{% load i18n %}<p title="Say hello">{% translate "Hello" %} {{ name }}</p>
    <p>Plain words</p>{% if x %}{{ count }} comments{% endif %}
    <script>var a = "not text";</script><!-- a note -->&nbsp;· — {{ a }}
    {% blocktranslate with n=x.y %}In a block {{ n }}{% endblocktranslate %}
    {% comment %}Not shown{% endcomment %}<img alt="A picture">"""
    assert untranslated(source) == ["Say hello", "A picture", "Plain words", "comments"]


def test_the_scan_accepts_translated_text() -> None:
    source = """{% load i18n %}<a aria-label="{% translate 'Close' %}">{% translate "Hi" %}</a>
    {% blocktranslate count counter=n %}{{ counter }} reply{% plural %}{{ counter }} replies
    {% endblocktranslate %}
    <span>{{ comment.author_name }}</span> · &amp; 2026"""
    assert untranslated(source) == []
