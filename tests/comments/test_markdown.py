"""Comment bodies: the Markdown subset, and the sanitizer against the attacks it must stop."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from broadsheet.comments.markdown import render_comment

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "<svg onload=alert(1)>",
    '<a href="#" onclick="alert(1)">click</a>',
    '<div onmouseover="alert(1)">hover</div>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<object data="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="></object>',
    '<style>body{background:url("javascript:alert(1)")}</style>',
    '<p style="background:url(javascript:alert(1))">styled</p>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](java&#x09;script:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![img](javascript:alert(1))",
    "![img](https://evil.example/track.png)",
    "<javascript:alert(1)>",
    '[a](https://ok.example "title" onmouseover="alert(1)")',
    '[a](https://ok.example"onmouseover="alert(1))',
    "**<script>alert(1)</script>**",
    "> <img src=x onerror=alert(1)>",
    "- <svg/onload=alert(1)>",
    "`<script>alert(1)</script>`",
    "```\n<script>alert(1)</script>\n```",
    "[unclosed](javascript:alert(1)",
    "*[nested **](javascript:alert(1))**",
    "<<script>script>alert(1)<</script>/script>",
    "<a href='javascript:alert(1)'>raw link</a>",
    "<form action=javascript:alert(1)><button>go</button></form>",
    "<meta http-equiv=refresh content='0;url=javascript:alert(1)'>",
    "<base href='javascript:alert(1)//'>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "\x00<script>alert(1)</script>",
    '[x](https://example.com/"><script>alert(1)</script>)',
]

ALLOWED_TAGS = {"p", "br", "strong", "em", "a", "blockquote", "ul", "ol", "li", "code", "pre"}


class Elements(HTMLParser):
    """The elements and attributes a browser would build from the HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


def assert_safe(html: str) -> None:
    parser = Elements()
    parser.feed(html)
    parser.close()
    for tag, attrs in parser.found:
        assert tag in ALLOWED_TAGS, html
        allowed = {"href", "rel"} if tag == "a" else set()
        assert set(attrs) <= allowed, html
        if tag == "a":
            href = (attrs.get("href") or "").strip()
            scheme = urlsplit(href).scheme.lower()
            assert scheme in {"", "http", "https", "mailto"}, href
            assert attrs.get("rel") == "nofollow ugc noopener"


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_the_sanitizer_stops(payload: str) -> None:
    html = render_comment(payload)
    assert_safe(html)
    assert "<script" not in html.lower()
    assert "<img" not in html.lower()


def test_the_markdown_subset() -> None:
    html = render_comment(
        "**bold** *italic* `code` [link](https://example.com)\n\n"
        "> quote\n\n- one\n- two\n\n1. first"
    )
    assert "<strong>bold</strong>" in html
    assert "<em>italic</em>" in html
    assert "<code>code</code>" in html
    assert '<a href="https://example.com" rel="nofollow ugc noopener">link</a>' in html
    assert "<blockquote>\n<p>quote</p>\n</blockquote>" in html
    assert "<ul>\n<li>one</li>\n<li>two</li>\n</ul>" in html
    assert "<ol>\n<li>first</li>\n</ol>" in html


def test_no_images_headings_or_raw_html() -> None:
    html = render_comment("# Big\n\n![alt](https://example.com/a.png)\n\n<b>raw</b>")
    assert "<h1" not in html
    assert "<img" not in html
    assert "<b>" not in html
    assert "&lt;b&gt;raw&lt;/b&gt;" in html


def test_every_link_gets_nofollow_ugc_noopener() -> None:
    html = render_comment("see https://example.com and [this](http://example.org)")
    assert html.count('rel="nofollow ugc noopener"') == html.count("<a ")
    assert "<a " in html


@hypothesis_settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "<",
                ">",
                "<script>",
                "javascript:",
                "onerror=",
                "[",
                "](",
                ")",
                '"',
                "'",
                "*",
                "`",
                "<a href=",
                "data:",
                "<img src=x ",
                "&#",
                "\n",
                " ",
                "x",
                "> ",
                "- ",
            ]
        ),
        max_size=30,
    ).map("".join)
)
def test_malformed_markdown_never_yields_unsafe_html(text: str) -> None:
    assert_safe(render_comment(text))
