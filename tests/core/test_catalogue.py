"""The Japanese catalogue is complete, its placeholders match, and the compiled file is current."""

import re
from pathlib import Path

import polib
import pytest
from django.utils import translation

LOCALE = (
    Path(__file__).resolve().parents[2] / "src" / "broadsheet" / "locale" / "ja" / "LC_MESSAGES"
)
DOMAINS = ["django", "djangojs"]
# %(name)s, %s, {name} and {}: what Python, templates and scripts fill in.
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")


def _catalogue(domain: str) -> polib.POFile:
    return polib.pofile(str(LOCALE / f"{domain}.po"))


def _translations(entry: polib.POEntry) -> list[str]:
    return list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_message_has_a_japanese_translation(domain: str) -> None:
    catalogue = _catalogue(domain)
    missing = [e.msgid for e in catalogue if not all(_translations(e)) or e.fuzzy]
    assert len(catalogue) > (500 if domain == "django" else 5)
    assert not missing, "Untranslated or fuzzy:\n" + "\n".join(missing)
    assert catalogue.metadata["Plural-Forms"] == "nplurals=1; plural=0;"


@pytest.mark.parametrize("domain", DOMAINS)
def test_placeholders_and_line_breaks_match(domain: str) -> None:
    problems = []
    for entry in _catalogue(domain):
        wanted = sorted(PLACEHOLDER.findall(entry.msgid))
        for text in _translations(entry):
            if sorted(PLACEHOLDER.findall(text)) != wanted:
                problems.append(f"{entry.msgid!r} -> {text!r}")
            if entry.msgid.count("\n") != text.count("\n"):
                problems.append(f"line breaks differ: {entry.msgid!r} -> {text!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("domain", DOMAINS)
def test_the_compiled_catalogue_matches_the_source(domain: str) -> None:
    compiled = {
        (e.msgctxt, e.msgid): _translations(e) for e in polib.mofile(str(LOCALE / f"{domain}.mo"))
    }
    source = {(e.msgctxt, e.msgid): _translations(e) for e in _catalogue(domain)}
    stale = [
        msgid for key, texts in source.items() if compiled.get(key) != texts for msgid in [key[1]]
    ]
    assert not stale, "Run compilemessages; out of date:\n" + "\n".join(stale)


def test_the_gates_links_fall_inside_their_japanese_messages() -> None:
    """The gate links the words of its message: the translated words must be in it."""
    from broadsheet.comments import gate

    with translation.override("ja"):
        pairs = [
            (gate.DISPLAY_NAME_MESSAGE, "Profile section"),
            ("Sign in or create an account to join the conversation.", "Sign in"),
            ("Sign in or create an account to join the conversation.", "create an account"),
        ]
        for message, words in pairs:
            assert translation.gettext(words) in translation.gettext(message)
        renew = translation.gettext(
            "Your %(ended)s subscription ended on %(day)s. Your current plan, %(plan)s, does "
            "not include commenting. Renew your subscription to join the conversation."
        )
        assert translation.gettext("Renew your subscription") in renew
        plans = translation.gettext(
            "Your current plan, %(plan)s, does not include commenting.%(commenting_plans)s "
            "See the plans."
        )
        assert translation.gettext("See the plans") in plans
