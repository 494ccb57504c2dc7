"""What an export holds, whatever its format: pages (threads) and the comments on them."""

from dataclasses import dataclass
from datetime import datetime


class ImportFileError(ValueError):
    """A file that cannot be imported: the line and what is wrong there."""

    def __init__(self, line: int | None, problem: str) -> None:
        self.line = line
        self.problem = problem
        super().__init__(f"line {line}: {problem}" if line else problem)


@dataclass(frozen=True)
class Page:
    key: str  # how the export's comments name it
    external_id: str  # the id the newsroom's embed element gives (data-broadsheet-story)
    url: str
    title: str
    line: int


@dataclass(frozen=True)
class Post:
    source_id: str
    page_key: str
    parent_id: str | None
    author_name: str
    author_email: str
    created_at: datetime
    html: str
    status: str  # a Comment.Status value
    line: int


@dataclass(frozen=True)
class Export:
    pages: dict[str, Page]
    posts: list[Post]
