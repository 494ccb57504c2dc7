"""Newsroom sites that embed the comment streams, and what links their pages and readers to ours.

The link between a newsroom's page and a story lives here, not on Story: a story knows
nothing about embedding, and the unique (site, external id) pair is the lookup every
embed view and the counts endpoint make.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy

from broadsheet.comments.models import Comment
from broadsheet.stories.models import Story


class Site(models.Model):
    """A newsroom's own site, whose pages may frame the comment streams."""

    name = models.CharField(max_length=80, unique=True)
    key = models.SlugField(
        max_length=60,
        unique=True,
        help_text=gettext_lazy("Goes in the embed snippet and in the tokens' aud."),
    )
    # One origin a line, e.g. https://news.example.com (scheme, host and port; no path).
    allowed_origins = models.TextField(
        help_text=gettext_lazy(
            "One origin a line, such as https://news.example.com. Only these may frame "
            "the comments."
        )
    )
    create_stories = models.BooleanField(
        "create stories on first view",
        default=False,
        help_text=gettext_lazy(
            "A page with an unknown id gets a comment stream the first time it is shown."
        ),
    )
    sign_in_url = models.URLField(
        blank=True,
        help_text=gettext_lazy(
            "The newsroom's own sign-in page, linked from the comments for visitors."
        ),
    )
    subscribe_url = models.URLField(
        blank=True,
        help_text=gettext_lazy(
            "The newsroom's own subscription page, linked from the comments for readers "
            "whose plan does not include commenting."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def origins(self) -> list[str]:
        return [line.strip() for line in self.allowed_origins.splitlines() if line.strip()]


class SiteSecret(models.Model):
    """A key the newsroom signs its readers' tokens with.

    HS256 needs the key itself to check a signature, so it is stored as is; it is shown
    once, when made. A rotated key keeps working until `expires_at` (the grace period).
    """

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="secrets")
    secret = models.CharField(max_length=128)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"key of {self.site} made {self.created_at:%Y-%m-%d %H:%M}"


class StoryLink(models.Model):
    """The newsroom page a story's comments belong to."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="stories")
    external_id = models.CharField(max_length=200)
    story = models.OneToOneField(Story, on_delete=models.CASCADE, related_name="embed_link")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["site", "external_id"], name="one_story_per_page"),
        ]

    def __str__(self) -> str:
        return f"{self.site.key}:{self.external_id}"


class ReaderLink(models.Model):
    """The one reader account behind a newsroom's user id."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="readers")
    external_user_id = models.CharField(max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="site_links"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["site", "external_user_id"], name="one_reader_per_site_user"
            ),
            models.UniqueConstraint(fields=["site", "user"], name="one_site_user_per_reader"),
        ]

    def __str__(self) -> str:
        return f"{self.site.key}:{self.external_user_id}"


class UsedToken(models.Model):
    """A sign-in token already exchanged: a second use is a replay. Kept until it expires."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    jti = models.CharField(max_length=200)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["site", "jti"], name="token_used_once")]

    def __str__(self) -> str:
        return self.jti


class ImportedAuthor(models.Model):
    """A reader created by an import, who signs in only after claiming the account by e-mail."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=254)  # the author's e-mail, or their name without one
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["site", "key"], name="one_imported_author")]

    def __str__(self) -> str:
        return self.key


class ImportedComment(models.Model):
    """Where an imported comment came from, so that importing the file again changes nothing."""

    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=20)  # disqus or wordpress
    source_id = models.CharField(max_length=64)
    comment = models.OneToOneField(Comment, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["site", "source", "source_id"], name="one_comment_per_source_id"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source}:{self.source_id}"
