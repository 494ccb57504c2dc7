"""Story bodies: Markdown rendered to sanitized HTML once, when a story is saved."""

import nh3
from markdown_it import MarkdownIt

_markdown = MarkdownIt("js-default")

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "em", "a", "blockquote", "ul", "ol", "li",
    "code", "pre", "hr", "figure", "figcaption",
}  # fmt: skip


def render_story_body(markdown: str) -> str:
    return nh3.clean(
        _markdown.render(markdown),
        tags=ALLOWED_TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener",
    )
