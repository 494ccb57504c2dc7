from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from broadsheet.stories.images import LeadImage


class Section(models.Model):
    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    display_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["display_order", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("stories:section", kwargs={"slug": self.slug})


class Topic(models.Model):
    """A subject that runs across sections ("Housing", "North Korea")."""

    name = models.CharField(max_length=80, unique=True)
    slug = models.SlugField(max_length=80, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("stories:topic", kwargs={"slug": self.slug})


class Story(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", gettext_lazy("Draft")
        SCHEDULED = "scheduled", gettext_lazy("Scheduled")
        PUBLISHED = "published", gettext_lazy("Published")
        UNPUBLISHED = "unpublished", gettext_lazy("Unpublished")

    class CommentMode(models.TextChoices):
        OPEN = "open", gettext_lazy("open")
        PREMODERATED = "premoderated", gettext_lazy("pre-moderated")
        CLOSED = "closed", gettext_lazy("closed")

    class Strictness(models.TextChoices):
        STANDARD = "standard", gettext_lazy("standard")
        STRICT = "strict", gettext_lazy("strict (sensitive story)")

    headline = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True)
    dek = models.CharField("summary", max_length=400, blank=True)
    body = models.TextField(help_text=gettext_lazy("Markdown."))
    body_html = models.TextField(editable=False, default="")
    # Empty only for a story whose page is on a newsroom's own site (see external_url).
    section = models.ForeignKey(
        Section, on_delete=models.PROTECT, null=True, related_name="stories"
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="stories")
    authors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="authored_stories"
    )
    byline = models.CharField(max_length=200, blank=True)
    dateline = models.CharField(max_length=80, blank=True)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        "publish time",
        null=True,
        blank=True,
        help_text=gettext_lazy("When readers first see the story; a future time schedules it."),
    )
    # Set when the text of a published story changes; readers see it as "Updated".
    revised_at = models.DateTimeField("last updated", null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    created_at = models.DateTimeField(auto_now_add=True)
    is_premium = models.BooleanField(default=False)
    is_top_story = models.BooleanField(
        "top story",
        default=False,
        help_text=gettext_lazy(
            "Leads the front page (the newest top story first), ahead of the latest news."
        ),
    )
    comment_mode = models.CharField(
        max_length=12, choices=CommentMode.choices, default=CommentMode.OPEN
    )
    close_comments_after_days = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text=gettext_lazy("Empty: the site default.")
    )
    moderation_strictness = models.CharField(
        max_length=10,
        choices=Strictness.choices,
        default=Strictness.STANDARD,
        help_text=gettext_lazy(
            "Strict lowers every score threshold of the automatic checks by the "
            "site's strict margin, so more comments wait for a moderator."
        ),
    )
    # The lead image: its sizes (written only by stories.images), alt text and credits.
    image_renditions = models.JSONField(default=list, blank=True, editable=False)
    image_alt = models.CharField(
        "image description (alt text)",
        max_length=300,
        blank=True,
        help_text=gettext_lazy(
            "Required with an image: what it shows, for readers who cannot see it."
        ),
    )
    image_caption = models.CharField("image caption", max_length=300, blank=True)
    image_credit = models.CharField(
        "image credit",
        max_length=120,
        blank=True,
        help_text=gettext_lazy("E.g. “Photo: Ada Lee / Reuters”."),
    )
    comment_count = models.PositiveIntegerField(default=0, editable=False)
    # Bumped by every write to the story's comments; part of the thread cache key.
    comment_version = models.PositiveIntegerField(default=0, editable=False)
    # The page on a newsroom's own site that embeds this story's comments. Such a story is
    # not listed on this site's pages; its address here leads to that page.
    external_url = models.URLField(max_length=500, blank=True, editable=False)
    # Where an imported story came from (front matter slug or file name): a re-import updates it.
    import_key = models.CharField(
        max_length=200, null=True, blank=True, unique=True, editable=False
    )

    class Meta:
        verbose_name_plural = "stories"
        ordering = ["-published_at"]
        indexes = [
            # Newest first, overall and per section: read backwards, stopping at the page size.
            # (Most stories are published, so filtering the status while reading costs little;
            # an index led by status made SQLite sort every published story instead.)
            models.Index(fields=["-published_at"], name="story_newest_idx"),
            models.Index(fields=["section", "-published_at"], name="story_section_newest_idx"),
            models.Index(
                fields=["-published_at"],
                condition=models.Q(is_top_story=True),
                name="story_top_newest_idx",
            ),
            # The newest change to any story versions the cached lists (core/pagecache.py).
            models.Index(fields=["-updated_at"], name="story_updated_idx"),
        ]

    def __str__(self) -> str:
        return self.headline

    def get_absolute_url(self) -> str:
        return reverse("stories:story", kwargs={"slug": self.slug})

    @property
    def lead_image(self) -> "LeadImage | None":
        from broadsheet.stories.images import lead_image

        return lead_image(self)

    @property
    def lede_html(self) -> str:
        """The first paragraph of the rendered body: what readers without access see."""
        end = self.body_html.find("</p>")
        return self.body_html[: end + len("</p>")] if end != -1 else ""


class StorySlug(models.Model):
    """A slug a story had before its headline changed; its URL redirects to the current one."""

    slug = models.SlugField(max_length=220, unique=True)
    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="old_slugs")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.slug


class StoryNote(models.Model):
    """A dated correction or update to a published story, shown to readers under it.

    Notes are a public record: added through stories.services.add_note, never edited.
    """

    class Kind(models.TextChoices):
        CORRECTION = "correction", "correction"
        UPDATE = "update", "update"

    story = models.ForeignKey(Story, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CORRECTION)
    text = models.TextField(
        help_text=gettext_lazy("What was wrong and what is right, or what is new.")
    )
    created_at = models.DateTimeField("date", default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, editable=False
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "correction or update"
        verbose_name_plural = "corrections and updates"

    def __str__(self) -> str:
        return f"{self.get_kind_display()} of {self.created_at:%d %b %Y}"
