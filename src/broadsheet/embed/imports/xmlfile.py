"""Reading an export safely: no DTDs, no entities, nothing fetched; every element's line kept."""

from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, ParseError, TreeBuilder

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser

from broadsheet.embed.imports.records import ImportFileError


class _LineTreeBuilder(TreeBuilder):
    def __init__(self) -> None:
        super().__init__()
        self.parser: Any = None
        self.lines: dict[Element, int] = {}

    def start(self, tag: Any, attrs: Any) -> Element:
        element = super().start(tag, attrs)
        self.lines[element] = self.parser.parser.CurrentLineNumber
        return element


class XmlFile:
    """The parsed document and the line each element starts on."""

    def __init__(self, path: Path) -> None:
        builder = _LineTreeBuilder()
        parser = DefusedXMLParser(
            target=builder, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
        builder.parser = parser
        try:
            with path.open("rb") as source:
                while chunk := source.read(1 << 20):
                    parser.feed(chunk)
            self.root: Element = parser.close()
        except ParseError as error:
            raise ImportFileError(
                error.position[0], f"not well-formed XML ({error.msg})"
            ) from error
        except DefusedXmlException as error:
            raise ImportFileError(
                parser.parser.CurrentLineNumber,
                "document type declarations and entities are not accepted in an export",
            ) from error
        self._lines = builder.lines

    def line(self, element: Element) -> int:
        return self._lines.get(element, 0)

    def text(self, element: Element, tag: str, *, required: bool = True) -> str:
        """The text of `element`'s child `tag`; a missing required child is an error."""
        child = element.find(tag)
        if child is None:
            if required:
                raise ImportFileError(self.line(element), f"missing <{_short(tag)}>")
            return ""
        return (child.text or "").strip()


def _short(tag: str) -> str:
    return tag.rpartition("}")[2]
