"""Every change to a story: saving its text, publishing, scheduling and unpublishing.

Each function validates, writes inside one transaction and records the change in the audit
log, so the admin, the importer and scripts behave the same way.
"""

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from broadsheet.core import audit
from broadsheet.core.exceptions import ServiceError
from broadsheet.stories import images
from broadsheet.stories.markdown import render_story_body
from broadsheet.stories.models import Story, StoryNote, StorySlug

SLUG_MAX = 80
# Changing any of these on a published story shows readers an "Updated" time.
TEXT_FIELDS = ("headline", "dek", "body", "byline", "dateline")


def slug_base(text: str) -> str:
    """A readable slug for a headline, cut at a word boundary."""
    slug = slugify(text)[:SLUG_MAX].strip("-")
    if len(slugify(text)) > SLUG_MAX and "-" in slug:
        slug = slug.rsplit("-", 1)[0]
    return slug or "story"


def slug_taken(slug: str, story: Story | None = None) -> bool:
    """Whether a slug is in use, now or in the past, by another story."""
    others = Story.objects.filter(slug=slug)
    history = StorySlug.objects.filter(slug=slug)
    if story is not None and story.pk is not None:
        others = others.exclude(pk=story.pk)
        history = history.exclude(story=story)
    return others.exists() or history.exists()


def unique_slug(text: str, story: Story | None = None) -> str:
    """The headline's slug, or with -2, -3 ... when another story has (or had) it."""
    base = slug_base(text)
    slug, n = base, 1
    while slug_taken(slug, story):
        n += 1
        slug = f"{base}-{n}"
    return slug


def _publication(
    status: str, published_at: datetime | None, now: datetime
) -> tuple[str, datetime | None]:
    """The consistent (status, publish time) for what an editor asked for."""
    if published_at is not None and timezone.is_naive(published_at):
        raise ServiceError(_("The publish time needs a time zone."), code="naive_datetime")
    if status == Story.Status.SCHEDULED:
        if published_at is None:
            raise ServiceError(_("Give the time to publish a scheduled story."), code="no_time")
        if published_at <= now:
            raise ServiceError(
                _("The scheduled time has already passed: publish the story now instead."),
                code="time_passed",
            )
    if status == Story.Status.PUBLISHED:
        if published_at is None:
            published_at = now
        elif published_at > now:
            status = Story.Status.SCHEDULED
    return status, published_at


def check_publication(
    status: str, published_at: datetime | None, now: datetime | None = None
) -> tuple[str, datetime | None]:
    """Validate a status and publish time, as a form would before saving."""
    return _publication(status, published_at, now or timezone.now())


@transaction.atomic
def save_story(
    story: Story,
    *,
    by: Any = None,
    slug: str | None = None,
    now: datetime | None = None,
) -> Story:
    """Save a new or edited story: slug, rendered body, status and the audit row.

    A new story gets a unique slug from its headline (or `slug`, if given). When the
    headline of an existing story changes, it gets a new slug and its old URL redirects.
    """
    now = now or timezone.now()
    if not story.headline.strip():
        raise ServiceError(_("A story needs a headline."), code="no_headline")
    if any("\x00" in (getattr(story, field) or "") for field in TEXT_FIELDS):
        # PostgreSQL cannot store NUL; every way in refuses it, and so does this one.
        raise ServiceError(_("The story contains characters we cannot store."), code="invalid")
    if story.image_renditions and not story.image_alt.strip():
        raise ServiceError(
            _("Describe the image (alt text) for readers who cannot see it."), code="no_alt"
        )
    before = Story.objects.filter(pk=story.pk).first() if story.pk else None
    if (
        before is not None
        and story.status == Story.Status.SCHEDULED
        and story.published_at == before.published_at
        and story.published_at is not None
        and story.published_at <= now
    ):
        # A scheduled story whose time has come is simply published.
        story.status = Story.Status.PUBLISHED
    story.status, story.published_at = _publication(story.status, story.published_at, now)
    story.body_html = render_story_body(story.body)

    if slug:
        slug = slugify(slug)[:220]
        if not slug:
            raise ServiceError(_("The slug needs letters or digits."), code="bad_slug")
        if slug_taken(slug, story):
            raise ServiceError(
                _("Another story uses the address “%(slug)s”.") % {"slug": slug}, code="slug_taken"
            )
        story.slug = slug
    elif before is None:
        story.slug = story.slug or unique_slug(story.headline)
    elif before.headline != story.headline:
        story.slug = unique_slug(story.headline, story)

    changed: dict[str, list[Any]] = {}
    if before is not None:
        for field in (*TEXT_FIELDS, "slug", "status", "is_premium", "comment_mode"):
            old, new = getattr(before, field), getattr(story, field)
            if old != new:
                changed[field] = [old, new]
        was_live = before.status in (Story.Status.PUBLISHED, Story.Status.SCHEDULED) and (
            before.published_at is not None and before.published_at <= now
        )
        if was_live and any(field in changed for field in TEXT_FIELDS):
            story.revised_at = now
        if before.slug != story.slug:
            # The old address keeps working; a slug coming back to its story leaves history.
            StorySlug.objects.filter(slug=story.slug, story=story).delete()
            StorySlug.objects.get_or_create(slug=before.slug, defaults={"story": story})
    story.save()
    if before is None:
        audit.record(by, "stories:story:created", story, headline=story.headline)
    elif changed:
        audit.record(by, "stories:story:edited", story, changes=_jsonable(changed))
    return story


def _jsonable(changes: dict[str, list[Any]]) -> dict[str, list[Any]]:
    return {
        k: [str(v) if isinstance(v, datetime) else v for v in pair] for k, pair in changes.items()
    }


def _set_state(
    story: Story, status: str, published_at: datetime | None, *, by: Any, action: str, reason: str
) -> Story:
    with transaction.atomic():
        locked = Story.objects.select_for_update().get(pk=story.pk)
        before = (locked.status, locked.published_at)
        locked.status, locked.published_at = status, published_at
        locked.save(update_fields=["status", "published_at", "updated_at"])
        audit.record(
            by,
            action,
            locked,
            reason=reason,
            status=[before[0], status],
            published_at=[_iso(before[1]), _iso(published_at)],
        )
    story.status, story.published_at = status, published_at
    return story


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def publish(story: Story, *, by: Any = None, now: datetime | None = None) -> Story:
    """Publish now. A story published before keeps its original publish time."""
    now = now or timezone.now()
    published_at = story.published_at if story.published_at and story.published_at <= now else now
    return _set_state(
        story,
        Story.Status.PUBLISHED,
        published_at,
        by=by,
        action="stories:story:published",
        reason="",
    )


def schedule(story: Story, at: datetime, *, by: Any = None, now: datetime | None = None) -> Story:
    """Publish at a future time; the story appears then, with nothing left to run."""
    status, published_at = _publication(Story.Status.SCHEDULED, at, now or timezone.now())
    return _set_state(
        story, status, published_at, by=by, action="stories:story:scheduled", reason=""
    )


def unpublish(story: Story, *, by: Any = None, reason: str = "") -> Story:
    """Take a story down: readers get a 404; the publish time is kept for the record."""
    if story.status in (Story.Status.DRAFT, Story.Status.UNPUBLISHED):
        raise ServiceError(_("This story is not published."), code="not_published")
    return _set_state(
        story,
        Story.Status.UNPUBLISHED,
        story.published_at,
        by=by,
        action="stories:story:unpublished",
        reason=reason,
    )


def is_live(story: Story, now: datetime | None = None) -> bool:
    """Whether readers can see the story (the same rule as queries.published_stories)."""
    return (
        story.status in (Story.Status.PUBLISHED, Story.Status.SCHEDULED)
        and story.published_at is not None
        and story.published_at <= (now or timezone.now())
    )


NOTE_MAX = 2000


def add_note(
    story: Story, kind: str, text: str, *, by: Any = None, now: datetime | None = None
) -> StoryNote:
    """Add a dated correction or update to a published story.

    The story counts as revised then: its "Updated" time, its feed entry and the
    `dateModified` search engines read all move to the note's date.
    """
    now = now or timezone.now()
    text = text.strip()
    if kind not in StoryNote.Kind.values:
        raise ServiceError(_("Choose a correction or an update."), code="bad_kind")
    if not text:
        raise ServiceError(_("Write what the correction or update says."), code="no_text")
    if len(text) > NOTE_MAX or "\x00" in text:
        raise ServiceError(
            _("A note may be at most %(max)d characters of text.") % {"max": NOTE_MAX},
            code="too_long",
        )
    if not is_live(story, now):
        raise ServiceError(
            _("Corrections and updates are for published stories; edit a draft instead."),
            code="not_published",
        )
    with transaction.atomic():
        note = StoryNote.objects.create(
            story=story, kind=kind, text=text, created_at=now, created_by=by
        )
        Story.objects.filter(pk=story.pk).update(revised_at=now)
        story.revised_at = now
        audit.record(by, f"stories:story:{kind}_added", story, note=note.pk, text=text)
    return note


def set_lead_image(story: Story, renditions: list[Any] | None, *, by: Any = None) -> Story:
    """Put a new lead image (checked renditions from images.prepare) on a saved story, or
    take it off with None. The files it replaces are deleted once this is committed."""
    if renditions and not story.image_alt.strip():
        raise ServiceError(_("Describe the image (alt text) for readers who cannot see it."),
                           code="no_alt")  # fmt: skip
    old = list(story.image_renditions or [])
    with transaction.atomic():
        story.image_renditions = images.store(renditions) if renditions else []
        Story.objects.filter(pk=story.pk).update(image_renditions=story.image_renditions)
        audit.record(
            by,
            "stories:story:image_changed" if renditions else "stories:story:image_removed",
            story,
            files=[r["name"] for r in story.image_renditions],
        )
        images.discard_later(old)
    return story
