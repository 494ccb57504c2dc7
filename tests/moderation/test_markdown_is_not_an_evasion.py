"""Regression: Markdown emphasis around innocent words must not read as masked slurs."""

import pytest

from broadsheet.moderation.matching import Matcher
from broadsheet.moderation.wordlists import default_terms


@pytest.mark.parametrize(
    "text",
    [
        "Worth a *recommendation*",
        "I *really* like this, it's **great**",
        "_Finally_ a night bus. #transport",
        "The ***whole*** council agreed",
    ],
)
def test_emphasis_and_hashtags_on_innocent_words_match_nothing(text: str) -> None:
    assert Matcher(default_terms()).find(text) == []


@pytest.mark.parametrize("text", ["what a f*cking joke", "you utter sh*t", "f**k off"])
def test_a_star_inside_a_word_still_masks_one_letter(text: str) -> None:
    found = Matcher(default_terms()).find(text)
    assert found, text
