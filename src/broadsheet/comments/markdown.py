"""Comment bodies: a small Markdown subset, rendered and sanitized once, at write time."""

import nh3
from markdown_it import MarkdownIt

# HTML off; images and headings are not part of a comment.
_markdown = MarkdownIt("js-default").disable(["image", "heading", "lheading", "table"])

ALLOWED_TAGS = {"p", "br", "strong", "em", "a", "blockquote", "ul", "ol", "li", "code", "pre"}


def render_comment(text: str) -> str:
    return nh3.clean(
        _markdown.render(text),
        tags=ALLOWED_TAGS,
        attributes={"a": {"href"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow ugc noopener",
    ).strip()
