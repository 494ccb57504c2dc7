"""Writing an export's comments: all of them in one transaction, or none.

A comment already imported (same site, format and id) is skipped, so importing the same
file again changes nothing. Comments were moderated where they were written; they keep
that status here and are not screened again.
"""

import hashlib
import secrets
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce

from broadsheet.accounts import display_names
from broadsheet.accounts import services as accounts
from broadsheet.accounts.models import User
from broadsheet.comments import conf as comments_conf
from broadsheet.comments.markdown import render_comment
from broadsheet.comments.models import Comment
from broadsheet.core import audit
from broadsheet.core.exceptions import ServiceError
from broadsheet.embed.imports.records import Export, ImportFileError, Page, Post
from broadsheet.embed.imports.text import markdown_from_html
from broadsheet.embed.models import ImportedAuthor, ImportedComment, Site, StoryLink
from broadsheet.embed.services import create_page_story
from broadsheet.stories.models import Story

LONGEST = 20_000
BATCH = 1000


@dataclass
class Summary:
    comments: int = 0
    skipped: int = 0
    stories: int = 0
    authors: int = 0
    names_refused: list[str] = field(default_factory=list)


def _ordered(export: Export, known: set[str]) -> dict[str, int]:
    """Every post after its parent (exports may list replies first); bad references fail."""
    by_id: dict[str, Post] = {}
    for post in export.posts:
        if post.source_id in by_id:
            raise ImportFileError(post.line, f"comment {post.source_id} appears twice")
        by_id[post.source_id] = post
    depth: dict[str, int] = {}

    def depth_of(post: Post) -> int:
        chain: list[Post] = []
        current: Post | None = post
        while current is not None and current.source_id not in depth:
            if current in chain:
                raise ImportFileError(post.line, f"comment {post.source_id} is its own ancestor")
            chain.append(current)
            parent_id = current.parent_id
            if parent_id is None or (parent_id in known and parent_id not in by_id):
                current = None
            elif parent_id in by_id:
                current = by_id[parent_id]
                if current.page_key != chain[-1].page_key:
                    raise ImportFileError(
                        chain[-1].line,
                        f"comment {chain[-1].source_id} answers {parent_id}, "
                        "which is on another page",
                    )
            else:
                raise ImportFileError(
                    chain[-1].line,
                    f"comment {chain[-1].source_id} answers {parent_id}, which is not in the file",
                )
        base = depth[current.source_id] if current is not None else 0
        for offset, item in enumerate(reversed(chain), start=1):
            depth[item.source_id] = base + offset
        return depth[post.source_id]

    for post in export.posts:
        if post.page_key not in export.pages:
            raise ImportFileError(
                post.line, f"comment {post.source_id} is on thread {post.page_key}, not in the file"
            )
        depth_of(post)
    return depth


def _story(site: Site, page: Page, summary: Summary) -> Story:
    link = StoryLink.objects.select_related("story").filter(site=site, external_id=page.external_id)
    found = link.first()
    if found is not None:
        return found.story
    if len(page.external_id) > 200:
        raise ImportFileError(page.line, "the page's id is longer than 200 characters")
    title = " ".join(page.title.split())[:200] or page.external_id
    summary.stories += 1
    return create_page_story(site, page.external_id, page.url[:500], title)


class _Authors:
    """Readers for the export's authors: found again on a re-run, made once otherwise."""

    def __init__(self, site: Site, summary: Summary) -> None:
        self.site = site
        self.summary = summary
        self.found: dict[str, User] = {}
        # One password nobody knows, hashed once: an imported author can only sign in after
        # claiming the account through the "forgotten password" e-mail.
        self.unknowable = make_password(secrets.token_urlsafe(32))

    def key(self, post: Post) -> str:
        if post.author_email:
            return post.author_email
        name = post.author_name.strip() or "anonymous"
        return f"name:{name.casefold()}"[:254]

    def load(self, posts: list[Post]) -> None:
        keys = {self.key(post) for post in posts}
        display_names.score_names({post.author_name.strip()[:30] for post in posts})
        for author in ImportedAuthor.objects.filter(site=self.site, key__in=keys).select_related(
            "user"
        ):
            self.found[author.key] = author.user

    def user(self, post: Post) -> User:
        key = self.key(post)
        if key in self.found:
            return self.found[key]
        existing = (
            User.objects.filter(email__iexact=post.author_email).first()
            if post.author_email
            else None
        )
        if existing is not None:
            # Their own account: the comments join it, but it stays theirs alone (only
            # readers made by an import may later be signed in by the site).
            self.found[key] = existing
            return existing
        digest = hashlib.sha256(f"{self.site.pk}:{key}".encode()).hexdigest()[:20]
        email = post.author_email or f"imported-{digest}@{self.site.key}.invalid"
        user = User.objects.create(email=email, password=self.unknowable)
        self.summary.authors += 1
        self._name(user, post.author_name)
        ImportedAuthor.objects.create(site=self.site, key=key, user=user)
        self.found[key] = user
        return user

    def _name(self, user: User, name: str) -> None:
        if not name.strip():
            return
        try:
            accounts.set_display_name(user, name.strip()[:30])
        except ServiceError:
            self.summary.names_refused.append(name)


def _place(parent: Comment | None) -> dict[str, object]:
    """Where a reply goes, by the same rule as posting: no deeper than the deepest level."""
    if parent is None:
        return {"parent": None, "root": None, "depth": 1, "in_reply_to": None}
    if parent.depth >= comments_conf.max_depth():
        return {
            "parent_id": parent.parent_id,
            "root_id": parent.root_id,
            "depth": parent.depth,
            "in_reply_to": parent,
        }
    return {
        "parent": parent,
        "root_id": parent.root_id or parent.pk,
        "depth": parent.depth + 1,
        "in_reply_to": None,
    }


def _recount(story_ids: set[int]) -> None:
    """Counts as the comment services keep them: published comments and published replies."""
    published = Comment.Status.PUBLISHED
    replies = (
        Comment.objects.filter(parent=OuterRef("pk"), status=published)
        .values("parent")
        .annotate(n=Count("pk"))
        .values("n")
    )
    Comment.objects.filter(story_id__in=story_ids).update(
        reply_count=Coalesce(Subquery(replies), 0)
    )
    for story_id in story_ids:
        count = Comment.objects.filter(story_id=story_id, status=published).count()
        Story.objects.filter(pk=story_id).update(
            comment_count=count, comment_version=F("comment_version") + 1
        )


def import_export(site: Site, source: str, export: Export) -> Summary:
    """Import `export` (read from a `source` file) into `site`'s stories, in one transaction."""
    summary = Summary()
    with transaction.atomic():
        done = dict(
            ImportedComment.objects.filter(site=site, source=source).values_list(
                "source_id", "comment_id"
            )
        )
        depth = _ordered(export, set(done))
        fresh = [post for post in export.posts if post.source_id not in done]
        summary.skipped = len(export.posts) - len(fresh)
        if not fresh:
            return summary
        stories = {
            key: _story(site, export.pages[key], summary)
            for key in {post.page_key for post in fresh}
        }
        authors = _Authors(site, summary)
        authors.load(fresh)
        comments = Comment.objects.in_bulk(list(done.values()))
        saved: dict[str, Comment] = {
            source_id: comments[pk] for source_id, pk in done.items() if pk in comments
        }
        # Parents are written before their replies, a level at a time.
        depth_groups: dict[int, list[Post]] = {}
        for post in fresh:
            depth_groups.setdefault(depth[post.source_id], []).append(post)
        for level in sorted(depth_groups):
            batch: list[tuple[Post, Comment]] = []
            for post in depth_groups[level]:
                body = markdown_from_html(post.html)
                if not body:
                    raise ImportFileError(post.line, f"comment {post.source_id} has no text")
                if len(body) > LONGEST:
                    raise ImportFileError(
                        post.line, f"comment {post.source_id} is longer than {LONGEST:,} characters"
                    )
                parent = saved[post.parent_id] if post.parent_id else None
                comment = Comment(
                    story=stories[post.page_key],
                    author=authors.user(post),
                    body=body,
                    body_html=render_comment(body),
                    status=post.status,
                    **_place(parent),
                )
                batch.append((post, comment))
            created = Comment.objects.bulk_create([c for _, c in batch], batch_size=BATCH)
            # created_at fills itself in on creation; the export's own dates replace it.
            for (post, _), comment in zip(batch, created, strict=True):
                comment.created_at = post.created_at
                saved[post.source_id] = comment
            Comment.objects.bulk_update(created, ["created_at"], batch_size=BATCH)
            ImportedComment.objects.bulk_create(
                [
                    ImportedComment(site=site, source=source, source_id=post.source_id, comment=c)
                    for (post, _), c in zip(batch, created, strict=True)
                ],
                batch_size=BATCH,
            )
        summary.comments = len(fresh)
        _recount({story.pk for story in stories.values()})
        audit.record(
            None, "embed:comments:imported", site, source=source, comments=summary.comments
        )
    return summary
