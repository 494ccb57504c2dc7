"""Disqus's XML export: <thread> elements, then <post> elements that point at their thread
and parent by dsq:id, in any order (a reply may come before the comment it answers)."""

from pathlib import Path

from broadsheet.comments.models import Comment
from broadsheet.embed.imports.dates import parse_date
from broadsheet.embed.imports.records import Export, ImportFileError, Page, Post
from broadsheet.embed.imports.xmlfile import XmlFile

NS = "{http://disqus.com}"
DSQ_ID = "{http://disqus.com/disqus-internals}id"
DATES = ("%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S.%fZ")


def _flag(xml: XmlFile, element: object, tag: str) -> bool:
    return xml.text(element, NS + tag, required=False).lower() == "true"  # type: ignore[arg-type]


def read(path: Path) -> Export:
    xml = XmlFile(path)
    root = xml.root
    if root.tag != NS + "disqus":
        raise ImportFileError(xml.line(root), "not a Disqus export (the root is not <disqus>)")
    pages: dict[str, Page] = {}
    for thread in root.iter(NS + "thread"):
        key = thread.get(DSQ_ID)
        if key is None or thread.find(NS + "link") is None:
            continue  # a reference inside a <post>, not the thread itself
        line = xml.line(thread)
        if key in pages:
            raise ImportFileError(line, f"thread {key} appears twice")
        url = xml.text(thread, NS + "link")
        identifier = xml.text(thread, NS + "id", required=False)
        title = xml.text(thread, NS + "title", required=False) or url
        pages[key] = Page(key=key, external_id=identifier or url, url=url, title=title, line=line)
    posts: list[Post] = []
    for post in root.iter(NS + "post"):
        line = xml.line(post)
        source_id = post.get(DSQ_ID)
        if not source_id:
            raise ImportFileError(line, "a <post> without a dsq:id")
        reference = post.find(NS + "thread")
        if reference is None or not reference.get(DSQ_ID):
            raise ImportFileError(line, f"post {source_id} names no thread")
        parent = post.find(NS + "parent")
        author = post.find(NS + "author")
        if author is None:
            raise ImportFileError(line, f"post {source_id} has no <author>")
        if _flag(xml, post, "isDeleted"):
            status = Comment.Status.DELETED
        elif _flag(xml, post, "isSpam"):
            status = Comment.Status.REJECTED
        elif xml.text(post, NS + "isApproved", required=False).lower() == "false":
            status = Comment.Status.PENDING
        else:
            status = Comment.Status.PUBLISHED
        posts.append(
            Post(
                source_id=source_id,
                page_key=reference.get(DSQ_ID, ""),
                parent_id=parent.get(DSQ_ID) if parent is not None else None,
                author_name=xml.text(author, NS + "name", required=False),
                author_email=xml.text(author, NS + "email", required=False).lower(),
                created_at=parse_date(xml.text(post, NS + "createdAt"), line, DATES),
                html=xml.text(post, NS + "message", required=False),
                status=status,
                line=line,
            )
        )
    return Export(pages=pages, posts=posts)
