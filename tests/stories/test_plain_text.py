"""Plain text imported as a story body reads exactly as written: nothing in it is Markdown."""

import html
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from broadsheet.stories.importer import escape_markdown
from broadsheet.stories.markdown import render_story_body

# One paragraph of plain text: printable characters, no line breaks, trimmed like the importer.
any_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cc", "Cs", "Zl", "Zp"]),
    min_size=1,
    max_size=80,
)
# Text dense with the characters Markdown gives a meaning to.
punctuated = st.text(
    alphabet=st.sampled_from(list("ab 19.)-+=#>*_`[]()<>!&;:/\\|~\"'{}")), min_size=1
)
paragraphs = st.one_of(any_text, punctuated).map(lambda text: " ".join(text.split())).filter(bool)


@settings(max_examples=600, deadline=None)  # shared CI machines are slow at times
@given(paragraphs)
def test_escaped_plain_text_renders_as_the_same_text(text: str) -> None:
    rendered = render_story_body(escape_markdown(text))
    assert rendered.startswith("<p>"), rendered
    inner = re.sub(r"^<p>|</p>\n$", "", rendered)
    assert "<" not in inner.replace("&lt;", ""), rendered
    assert html.unescape(inner) == text


def test_markdown_lookalikes_stay_text() -> None:
    lookalikes = [
        "1999. A year",
        "- not a list",
        "# not a heading",
        "---",
        "> not a quote",
        "**not bold**",
        "[not](a link)",
        "&amp; stays",
        "<b>tag</b>",
        "1) item",
    ]
    for text in lookalikes:
        rendered = render_story_body(escape_markdown(text))
        assert html.unescape(re.sub(r"^<p>|</p>\n$", "", rendered)) == text, rendered
