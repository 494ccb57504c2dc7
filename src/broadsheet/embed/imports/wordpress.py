"""WordPress's export (WXR): an RSS <channel> of <item>s, each with its <wp:comment>s."""

from pathlib import Path

from broadsheet.comments.models import Comment
from broadsheet.embed.imports.dates import parse_date
from broadsheet.embed.imports.records import Export, ImportFileError, Page, Post
from broadsheet.embed.imports.xmlfile import XmlFile

WP_VERSIONS = ("1.0", "1.1", "1.2")
DATES = ("%Y-%m-%d %H:%M:%S",)
STATUSES = {
    "1": Comment.Status.PUBLISHED,
    "0": Comment.Status.PENDING,
    "spam": Comment.Status.REJECTED,
    "trash": Comment.Status.DELETED,
}


def _wp_namespace(xml: XmlFile) -> str:
    for version in WP_VERSIONS:
        namespace = f"{{http://wordpress.org/export/{version}/}}"
        if xml.root.find(f"channel/{namespace}wxr_version") is not None:
            return namespace
    raise ImportFileError(
        xml.line(xml.root), "not a WordPress export (no <wp:wxr_version> in the <channel>)"
    )


def read(path: Path) -> Export:
    xml = XmlFile(path)
    if xml.root.tag != "rss":
        raise ImportFileError(xml.line(xml.root), "not a WordPress export (the root is not <rss>)")
    wp = _wp_namespace(xml)
    pages: dict[str, Page] = {}
    posts: list[Post] = []
    for item in xml.root.iter("item"):
        comments = item.findall(wp + "comment")
        if not comments:
            continue
        line = xml.line(item)
        post_id = xml.text(item, wp + "post_id")
        url = xml.text(item, "link")
        pages[post_id] = Page(
            key=post_id,
            external_id=post_id,
            url=url,
            title=xml.text(item, "title", required=False) or url,
            line=line,
        )
        for comment in comments:
            line = xml.line(comment)
            kind = xml.text(comment, wp + "comment_type", required=False)
            if kind in ("pingback", "trackback"):
                continue
            approved = xml.text(comment, wp + "comment_approved")
            if approved not in STATUSES:
                raise ImportFileError(line, f"unknown comment_approved value {approved!r}")
            parent = xml.text(comment, wp + "comment_parent", required=False)
            gmt = xml.text(comment, wp + "comment_date_gmt", required=False)
            if not gmt or gmt.startswith("0000"):
                gmt = xml.text(comment, wp + "comment_date")
            posts.append(
                Post(
                    source_id=xml.text(comment, wp + "comment_id"),
                    page_key=post_id,
                    parent_id=parent if parent not in ("", "0") else None,
                    author_name=xml.text(comment, wp + "comment_author", required=False),
                    author_email=xml.text(
                        comment, wp + "comment_author_email", required=False
                    ).lower(),
                    created_at=parse_date(gmt, line, DATES),
                    html=xml.text(comment, wp + "comment_content", required=False),
                    status=STATUSES[approved],
                    line=line,
                )
            )
    return Export(pages=pages, posts=posts)
