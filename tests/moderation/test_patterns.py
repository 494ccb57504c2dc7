"""Threats and hate found by the sentence's shape, and the news language they must leave alone."""

import pytest

from broadsheet.moderation import patterns


def categories(text: str) -> list[str]:
    return [found.category for found in patterns.find(text)]


@pytest.mark.parametrize(
    "text",
    [
        "He deserves to be shot for what he did to this town.",
        "I will find where you live and make you pay.",
        "Someone should put a bullet in that councillor.",
        "Somebody needs to torch the landlord's car.",
        "I hope your kids get hit by a bus.",
        "We know where the author lives, and we're coming.",
        "The councillors should all be executed.",
        "String them up from the nearest lamppost.",
        "Kill all the bankers.",
        "I'm going to smash your face in.",
        "Watch your back, journalist.",
    ],
)
def test_threats_without_a_listed_word_are_found(text: str) -> None:
    assert categories(text)[:1] == ["threat"], text


@pytest.mark.parametrize(
    "text",
    [
        "I w1ll k1ll you",  # digits for letters
        "I will k i l l you",  # spaced out
        "He d\u0435serves to be sh\u043et",  # Cyrillic e and o
        "SOMEONE SHOULD SH00T HIM",
    ],
)
def test_threats_are_found_through_the_same_evasions_as_the_word_lists(text: str) -> None:
    assert categories(text)[:1] == ["threat"], text


@pytest.mark.parametrize(
    "text",
    [
        "The official was shot outside the town hall on Tuesday.",
        "She was threatened with deportation after missing one appointment.",
        "The defendant admitted sending messages saying he would kill his ex-partner.",
        "He was sentenced for threatening to kill his neighbour.",
        "The prisoner was executed in Texas last night despite appeals.",
        'The protesters chanted "hang the traitors", and the article rightly calls it incitement.',
        "I'd kill for a decent bakery in this part of town.",
        "Someone should fix that pothole before a cyclist gets hurt.",
        "The council deserves to lose every seat at the next election.",
        "I hope the minister is forced to resign over this.",
        "We'll find out on Thursday whether the plan passes.",
        "Our striker shot from thirty yards and nearly broke the net.",
        "Dick Turpin was hanged at York in 1739.",
    ],
)
def test_news_language_and_quotations_are_not_threats(text: str) -> None:
    assert categories(text) == [], text


def test_a_bare_quotation_is_read_as_what_it_says() -> None:
    """Quotation marks alone do not hide a threat: only a comment about the quote does."""
    assert categories('"I will kill you"')[:1] == ["threat"]


@pytest.mark.parametrize(
    "text",
    [
        "Immigrants are rats and should be treated like rats.",
        "Muslims are a plague on Europe.",
        "These foreigners are animals.",
        "They're not human, these migrants.",
    ],
)
def test_dehumanising_generalisations_are_hate(text: str) -> None:
    assert "hate" in categories(text), text


@pytest.mark.parametrize(
    "text",
    [
        "The Muslim community centre raised ten thousand pounds for the flood victims.",
        "Immigration figures fell last year, but the article doesn't say why.",
        "I'm gay and I've never felt safer in this town.",
        "Travellers' sites are a planning issue the council keeps ducking.",
    ],
)
def test_writing_about_groups_is_not_hate(text: str) -> None:
    assert categories(text) == [], text


def test_insults_said_to_someone_but_not_about_things() -> None:
    assert categories("What a worthless piece of trash this writer is.") == ["insult"]
    assert categories("You absolute clown.") == ["insult"]
    assert categories("This is a joke of a budget process.") == []
