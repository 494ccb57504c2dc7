"""An exported comment's HTML as the Markdown our comments are written in."""

from html.parser import HTMLParser

MARKS = {"b": "**", "strong": "**", "i": "*", "em": "*", "code": "`"}
BLOCKS = {"p", "div", "blockquote", "ul", "ol", "pre"}


class _ToMarkdown(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.links: list[str | None] = []
        self.quote = 0

    def _write(self, text: str) -> None:
        if self.quote:
            text = text.replace("\n", "\n> ")
        self.out.append(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in MARKS:
            self._write(MARKS[tag])
        elif tag == "br":
            self._write("\n")
        elif tag in BLOCKS:
            self._write("\n\n")
            if tag == "blockquote":
                self.quote += 1
                self._write("> ")
        elif tag == "li":
            self._write("\n- ")
        elif tag == "a":
            href = dict(attrs).get("href") or ""
            good = href.startswith(("http://", "https://"))
            self.links.append(href if good else None)
            if good:
                self._write("[")

    def handle_endtag(self, tag: str) -> None:
        if tag in MARKS:
            self._write(MARKS[tag])
        elif tag in BLOCKS:
            if tag == "blockquote" and self.quote:
                self.quote -= 1
            self._write("\n\n")
        elif tag == "a" and self.links:
            href = self.links.pop()
            if href:
                self._write(f"]({href})")

    def handle_data(self, data: str) -> None:
        self._write(data)


def markdown_from_html(html: str) -> str:
    parser = _ToMarkdown()
    parser.feed(html)
    parser.close()
    text = "".join(parser.out).replace("\r\n", "\n")
    lines = [line.rstrip() for line in text.split("\n")]
    paragraphs = "\n".join(lines)
    while "\n\n\n" in paragraphs:
        paragraphs = paragraphs.replace("\n\n\n", "\n\n")
    return paragraphs.strip()
