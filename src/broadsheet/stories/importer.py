"""Import stories from plain text or Markdown files with YAML front matter.

Markdown (``.md``, ``.markdown``) or any file starting with ``---``: the front matter gives
``headline`` (required), ``section`` (a section slug or name), ``byline``, ``date``
(ISO 8601; a date without a time is midnight in the site's time zone), ``premium``
(true/false), ``slug``, and optionally ``dek``, ``dateline``, ``topics`` (a list of names)
and ``authors`` (a list of staff e-mail addresses). The rest is the body, in Markdown.

Plain text (``.txt``): paragraphs are separated by blank lines; a file without any blank
line has one paragraph per line (the shape of wire copy). The first paragraph is the
headline when it reads like one (at most 200 characters, no full stop at the end);
otherwise the file has no headline of its own: the working headline is the first sentence of
the first paragraph (cut to 120 characters), the whole paragraph stays in the body, and the
import reports it so an editor writes a real headline before publishing. The text is
escaped, so nothing in it is read as Markdown.

In both shapes, lines after the article that belong to the site the text was copied from
("With your current subscription plan you can comment on stories ...") are left out and
reported; the patterns are the setting STORY_IMPORT_BOILERPLATE.

A story with a ``date`` is published at that time (scheduled if it is in the future); one
without stays a draft for an editor to publish. A file is imported whole or not at all. The
same file imported again updates its story: it is found by the ``slug`` in the front matter,
else by the file's name.
"""

import re
import string
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import frontmatter
import yaml
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from broadsheet.accounts.emails import normalize_email
from broadsheet.accounts.models import User
from broadsheet.core.exceptions import ServiceError
from broadsheet.stories import conf, services
from broadsheet.stories.models import Section, Story, Topic

SUFFIXES = {".txt", ".md", ".markdown"}
MARKDOWN_SUFFIXES = {".md", ".markdown"}
FIELDS = {
    "headline", "section", "byline", "date", "premium", "slug",
    "dek", "summary", "dateline", "topics", "authors",
}  # fmt: skip
HEADLINE_MAX = Story._meta.get_field("headline").max_length or 200
WORKING_HEADLINE_MAX = 120


class StoryImportError(Exception):
    """Why a file cannot be imported, in words for the person running the import."""


@dataclass
class ParsedStory:
    headline: str
    body: str
    key: str
    section: str | None = None
    byline: str = ""
    dek: str = ""
    dateline: str = ""
    published_at: datetime | None = None
    premium: bool | None = None
    slug: str | None = None
    topics: list[str] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    path: Path
    story: Story
    created: bool
    left_out: list[str]
    notes: list[str]


def story_files(path: Path) -> list[Path]:
    """The importable files at `path`: the file itself, or the folder's files in name order."""
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
    return [path]


def _read(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise StoryImportError(f"cannot be read ({error.strerror or error})") from error
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise StoryImportError(f"is not UTF-8 text (byte {error.start} is invalid)") from error
    if "\x00" in text:
        raise StoryImportError("is a binary file, not text")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _strip_boilerplate(paragraphs: list[str]) -> tuple[list[str], list[str]]:
    patterns = [re.compile(p, re.IGNORECASE) for p in conf.import_boilerplate_patterns()]
    left_out: list[str] = []
    while paragraphs and any(p.search(paragraphs[-1]) for p in patterns):
        left_out.insert(0, paragraphs.pop())
    return paragraphs, left_out


def _paragraphs(text: str) -> list[str]:
    text = text.strip()
    if not text:
        return []
    if re.search(r"\n[ \t]*\n", text):
        blocks = re.split(r"\n[ \t]*\n", text)
        return [
            " ".join(line.strip() for line in b.splitlines()).strip() for b in blocks if b.strip()
        ]
    return [line.strip() for line in text.splitlines() if line.strip()]


# Inline syntax can appear anywhere in a line; block syntax only at its start.
_INLINE_SPECIALS = re.compile(r"([\\`*_\[\]<>|~&])")
_ORDERED_LIST_START = re.compile(r"(\d{1,9})([.)])")


def escape_markdown(paragraph: str) -> str:
    """Plain text as Markdown that renders as the same text (CommonMark backslash escapes)."""
    escaped = _INLINE_SPECIALS.sub(r"\\\1", paragraph)
    if number := _ORDERED_LIST_START.match(escaped):
        return f"{number[1]}\\{number[2]}{escaped[number.end() :]}"
    if escaped[:1] in string.punctuation and escaped[:1] != "\\":
        return "\\" + escaped
    return escaped


def _looks_like_headline(paragraph: str) -> bool:
    ends_a_sentence = re.search(r"[.!?\u2026][\"'\u201d\u2019)]?$", paragraph)
    return len(paragraph) <= HEADLINE_MAX and not ends_a_sentence


def _first_sentence(paragraph: str) -> str:
    match = re.match(r"(.+?[.!?])(?:\s+[A-Z\"\u201c\u2018(]|$)", paragraph)
    sentence = (match[1] if match else paragraph).rstrip(".")
    if len(sentence) > WORKING_HEADLINE_MAX:
        sentence = sentence[: WORKING_HEADLINE_MAX - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"
    return sentence


def parse_plain(text: str, key: str) -> ParsedStory:
    paragraphs, left_out = _strip_boilerplate(_paragraphs(text))
    if not paragraphs:
        only = " (only site boilerplate)" if left_out else ""
        raise StoryImportError(f"has no story text{only}")
    notes = []
    if _looks_like_headline(paragraphs[0]) and len(paragraphs) > 1:
        headline, body = paragraphs[0], paragraphs[1:]
    else:
        headline, body = _first_sentence(paragraphs[0]), paragraphs
        notes.append("no headline in the file: the first sentence stands in; write one")
    return ParsedStory(
        headline=headline,
        body="\n\n".join(escape_markdown(p) for p in body) + "\n",
        key=key,
        left_out=left_out,
        notes=notes,
    )


def _date(value: Any) -> datetime:
    if isinstance(value, datetime):
        parsed = value
    elif isinstance(value, date):
        parsed = datetime.combine(value, time())
    elif isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError as error:
            raise StoryImportError(
                f"has a date that is not ISO 8601 ({value!r}); write 2026-11-27 or "
                "2026-11-27T09:30:00+01:00"
            ) from error
    else:
        raise StoryImportError(f"has a date that is not a date ({value!r})")
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def _text(meta: dict[str, Any], name: str, max_length: int) -> str:
    value = meta.get(name, "")
    if value is None:
        return ""
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise StoryImportError(f"has a {name} that is not text")
    text = str(value).strip()
    if len(text) > max_length:
        raise StoryImportError(f"has a {name} longer than {max_length} characters")
    return text


def _names(meta: dict[str, Any], name: str) -> list[str]:
    value = meta.get(name) or []
    if isinstance(value, str):
        value = [part.strip() for part in value.split(",")]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise StoryImportError(f"has {name} that are not a list of names")
    return [v.strip() for v in value if v.strip()]


def parse_front_matter(text: str, key: str) -> ParsedStory:
    try:
        post = frontmatter.loads(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise StoryImportError(f"has front matter that is not valid YAML{where}") from error
    meta = dict(post.metadata)
    unknown = sorted(set(meta) - FIELDS)
    if unknown:
        raise StoryImportError(
            f"has unknown front matter field(s): {', '.join(unknown)} "
            f"(known: {', '.join(sorted(FIELDS))})"
        )
    headline = _text(meta, "headline", HEADLINE_MAX)
    if not headline:
        raise StoryImportError("has no headline in its front matter")
    premium = meta.get("premium")
    if premium is not None and not isinstance(premium, bool):
        raise StoryImportError(f"has premium: {premium!r}; write true or false")
    paragraphs, left_out = _strip_boilerplate(re.split(r"\n[ \t]*\n", post.content.strip()))
    body = "\n\n".join(p.strip() for p in paragraphs if p.strip())
    if not body:
        raise StoryImportError("has no story text after its front matter")
    slug = _text(meta, "slug", 220) or None
    if slug is not None and slugify(slug) != slug:
        raise StoryImportError(
            f"has a slug that is not lowercase letters, digits and hyphens ({slug!r})"
        )
    return ParsedStory(
        headline=headline,
        body=body + "\n",
        key=slug or key,
        section=_text(meta, "section", 60) or None,
        byline=_text(meta, "byline", 200),
        dek=_text(meta, "dek", 400) or _text(meta, "summary", 400),
        dateline=_text(meta, "dateline", 80),
        published_at=_date(meta["date"]) if meta.get("date") is not None else None,
        premium=premium,
        slug=slug,
        topics=_names(meta, "topics"),
        authors=_names(meta, "authors"),
        left_out=left_out,
    )


def parse_file(path: Path) -> ParsedStory:
    text = _read(path)
    key = path.stem
    if path.suffix.lower() in MARKDOWN_SUFFIXES or text.startswith("---\n"):
        return parse_front_matter(text, key)
    return parse_plain(text, key)


def _section(parsed: ParsedStory, default: str | None) -> Section:
    wanted = parsed.section or default
    if not wanted:
        raise StoryImportError(
            "names no section: add `section:` to its front matter or pass --section"
        )
    section = (
        Section.objects.filter(slug=slugify(wanted)).first()
        or Section.objects.filter(name__iexact=wanted).first()
    )
    if section is None:
        known = ", ".join(Section.objects.values_list("slug", flat=True))
        raise StoryImportError(f"names a section that does not exist ({wanted!r}; known: {known})")
    return section


def _authors(emails: list[str]) -> list[User]:
    users = []
    for email in emails:
        user = User.objects.filter(email=normalize_email(email)).first()
        if user is None:
            raise StoryImportError(f"names an author with no account ({email})")
        users.append(user)
    return users


def import_file(path: Path, *, by: Any = None, default_section: str | None = None) -> ImportResult:
    """Import one file: all of it, or (raising StoryImportError) nothing."""
    parsed = parse_file(path)
    with transaction.atomic():
        section = _section(parsed, default_section)
        authors = _authors(parsed.authors)
        story = Story.objects.filter(import_key=parsed.key).first()
        if story is None and parsed.slug:
            story = Story.objects.filter(slug=parsed.slug).first()
        created = story is None
        if story is None:
            story = Story(import_key=parsed.key)
        story.headline = parsed.headline
        story.body = parsed.body
        story.section = section
        story.byline = parsed.byline or story.byline
        story.dek = parsed.dek or story.dek
        story.dateline = parsed.dateline or story.dateline
        if parsed.premium is not None:
            story.is_premium = parsed.premium
        if parsed.published_at is not None:
            story.published_at = parsed.published_at
            if story.status != Story.Status.UNPUBLISHED:
                story.status = Story.Status.PUBLISHED
        try:
            services.save_story(story, by=by, slug=parsed.slug)
        except ServiceError as error:
            raise StoryImportError(error.message) from error
        if parsed.topics:
            story.topics.set(_topics(parsed.topics))
        if parsed.authors:
            story.authors.set(authors)
    return ImportResult(
        path=path, story=story, created=created, left_out=parsed.left_out, notes=parsed.notes
    )


def _topics(names: list[str]) -> list[Topic]:
    topics = []
    for name in names:
        slug = slugify(name)[:80]
        if not slug:
            raise StoryImportError(f"has a topic with no letters or digits ({name!r})")
        topic, _ = Topic.objects.get_or_create(slug=slug, defaults={"name": name[:80]})
        topics.append(topic)
    return topics
