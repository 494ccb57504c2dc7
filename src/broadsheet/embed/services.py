"""Every rule of the embed: sites and their secrets, pages and their stories, signing in."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from broadsheet.accounts import services as accounts
from broadsheet.accounts.models import User
from broadsheet.core import audit
from broadsheet.core.exceptions import ServiceError
from broadsheet.embed import bearer, conf, sso
from broadsheet.embed.models import (
    ImportedAuthor,
    ReaderLink,
    Site,
    SiteSecret,
    StoryLink,
    UsedToken,
)
from broadsheet.embed.origins import normalise_origin, origin_of
from broadsheet.stories.models import Story
from broadsheet.stories.queries import published_stories
from broadsheet.subscriptions.models import Plan
from broadsheet.subscriptions.services import grant_plan

NOT_OPEN = gettext_noop("Comments are not open for this page.")
NO_PLAN = "none"


# --- sites and their secrets -------------------------------------------------------------


def clean_origins(text: str) -> str:
    """The allowed origins as stored: one normalised origin a line, no repeats."""
    origins: list[str] = []
    for line in text.splitlines():
        if line.strip():
            origin = normalise_origin(line)
            if origin not in origins:
                origins.append(origin)
    if not origins:
        raise ServiceError(_("List at least one origin, such as https://news.example.com."))
    return "\n".join(origins)


def issue_secret(site: Site, *, now: datetime | None = None) -> str:
    """A new signing secret for `site`; the current one keeps working for the grace period.

    Returns the secret itself: it is shown once and can be read nowhere afterwards.
    """
    now = now or timezone.now()
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        SiteSecret.objects.filter(site=site, expires_at__isnull=True).update(
            expires_at=now + conf.secret_grace_period()
        )
        SiteSecret.objects.create(site=site, secret=secret, created_at=now)
        audit.record(None, "embed:site:secret_issued", site)
    return secret


def verification_keys(site: Site, *, now: datetime) -> list[str]:
    """The secrets a token for `site` may be signed with now, newest first."""
    return list(
        SiteSecret.objects.filter(site=site)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .values_list("secret", flat=True)
    )


def site_by_key(key: str) -> Site:
    site = Site.objects.filter(key=key).first() if key else None
    if site is None:
        raise ServiceError(_("There is no such site."), code="unknown_site", status=404)
    return site


# --- pages and their stories -------------------------------------------------------------


def _story_slug(site: Site, external_id: str) -> str:
    digest = hashlib.sha256(f"{site.pk}:{external_id}".encode()).hexdigest()[:12]
    return f"{slugify(site.key)[:40]}-{slugify(external_id)[:120]}-{digest}".replace("--", "-")


def page_story(site: Site, external_id: str, *, url: str = "", title: str = "") -> Story:
    """The story holding the comments of the newsroom page `external_id`.

    With lazy creation on, an unknown page gets one, named by `title` and linked to `url`,
    which must be on one of the site's origins.
    """
    external_id = external_id.strip()
    if not external_id or len(external_id) > 200:
        raise ServiceError(
            _("The page needs an id (data-broadsheet-story) of at most 200 characters."),
            code="page_id",
        )
    link = StoryLink.objects.select_related("story").filter(site=site, external_id=external_id)
    found = link.first()
    if found is not None:
        story = published_stories().filter(pk=found.story_id).first()
        if story is None:
            raise ServiceError(_(NOT_OPEN), code="not_open", status=404)
        return story
    if not site.create_stories:
        raise ServiceError(_(NOT_OPEN), code="not_open", status=404)
    url, title = url.strip(), " ".join(title.split())
    if origin_of(url) not in site.origins or len(url) > 500:
        raise ServiceError(
            _(
                "The page address (data-url) must be a full URL on an origin registered for the "
                "site."
            ),
            code="page_url",
        )
    if not title or len(title) > 200:
        raise ServiceError(
            _("The page needs a title (data-title) of at most 200 characters."), code="page_title"
        )
    return create_page_story(site, external_id, url, title)


def create_page_story(site: Site, external_id: str, url: str, title: str) -> Story:
    """A story for the newsroom page `external_id` (unchecked: callers check their input)."""
    try:
        with transaction.atomic():
            now = timezone.now()
            story = Story.objects.create(
                headline=title,
                slug=_story_slug(site, external_id),
                body="",
                status=Story.Status.PUBLISHED,
                published_at=now,
                external_url=url,
            )
            StoryLink.objects.create(site=site, external_id=external_id, story=story)
            audit.record(None, "embed:story:created", story, site=site.key, page=external_id)
    except IntegrityError:
        # Two first views at once: the other one made it.
        link = StoryLink.objects.filter(site=site, external_id=external_id).first()
        if link is None:
            raise
        return published_stories().get(pk=link.story_id)
    return story


def comment_counts(site: Site, external_ids: list[str]) -> dict[str, int]:
    """Published comments on each of the site's pages; pages without comments count 0."""
    wanted = [page.strip() for page in external_ids if page.strip()]
    if len(wanted) > 100:
        raise ServiceError(_("Ask for at most 100 pages at a time."), code="too_many")
    counts = dict.fromkeys(wanted, 0)
    rows = StoryLink.objects.filter(site=site, external_id__in=wanted).values_list(
        "external_id", "story__comment_count"
    )
    counts.update(dict(rows))
    return counts


# --- signing in --------------------------------------------------------------------------


@dataclass(frozen=True)
class SignedIn:
    user: User
    session_token: str


def _plan(code: str) -> Plan | None:
    if code == NO_PLAN:
        return None
    plan = Plan.objects.filter(slug=code).first()
    if plan is None:
        raise sso.TokenRefusedError(
            _("The token's plan %(code)s is not one of this site's plan codes (or %(NO_PLAN)s).")
            % {"code": repr(code), "NO_PLAN": repr(NO_PLAN)},
            code="token_plan",
        )
    return plan


def _spend(site: Site, claims: sso.Claims, now: datetime) -> None:
    """Record the token's jti; a token seen before is a replay."""
    UsedToken.objects.filter(expires_at__lt=now - conf.clock_skew()).delete()
    try:
        with transaction.atomic():
            UsedToken.objects.create(
                site=site, jti=claims.jti, expires_at=claims.expires_at + conf.clock_skew()
            )
    except IntegrityError as error:
        raise sso.TokenRefusedError(
            _("The sign-in token has been used already: sign a new one for each page view."),
            code="token_replayed",
        ) from error


def _linked_reader(site: Site, claims: sso.Claims) -> User:
    """The one reader account for the newsroom's user id, made on first sign-in."""
    link = (
        ReaderLink.objects.select_related("user")
        .filter(site=site, external_user_id=claims.user_id)
        .first()
    )
    if link is not None:
        user = link.user
        taken = User.objects.filter(email__iexact=claims.email).exists()
        if user.email != claims.email and not taken:
            User.objects.filter(pk=user.pk).update(email=claims.email)
            user.email = claims.email
        return user
    # An author imported from this site's old comments is the same person: their comments
    # become theirs. Any other account with the address is not the site's to sign in.
    imported = ImportedAuthor.objects.filter(site=site, key=claims.email).select_related("user")
    author = imported.first()
    if author is not None and not ReaderLink.objects.filter(user=author.user).exists():
        user = author.user
    elif User.objects.filter(email__iexact=claims.email).exists():
        raise sso.TokenRefusedError(
            _(
                "The token's e-mail address belongs to another Broadsheet account, which only "
                "its owner can sign in to."
            ),
            code="token_email_taken",
            status=409,
        )
    else:
        user = User.objects.create_user(claims.email)
    ReaderLink.objects.create(site=site, external_user_id=claims.user_id, user=user)
    audit.record(user, "embed:reader:linked", user, site=site.key)
    return user


def _adopt_name(user: User, name: str) -> None:
    """The newsroom's display name, if the reader has none yet and it passes our rules.

    A name that does not is left unset: the gate then asks the reader for one.
    """
    if user.display_name or not name:
        return
    try:
        accounts.set_display_name(user, name)
    except ServiceError:
        return


def sign_in(site: Site, token: str, *, now: datetime | None = None) -> SignedIn:
    """Exchange the newsroom's sign-in token for the embed's session, or say why not."""
    now = now or timezone.now()
    claims = sso.verify(token, site_key=site.key, keys=verification_keys(site, now=now), now=now)
    plan = _plan(claims.plan)
    with transaction.atomic():
        _spend(site, claims, now)
        user = _linked_reader(site, claims)
        grant_plan(user, plan, source=f"site:{site.key}")
    _adopt_name(user, claims.name)
    user.refresh_from_db()
    return SignedIn(user=user, session_token=bearer.issue(user, site.pk))


def set_display_name(user: User, name: str) -> User:
    """A reader signed in by their newsroom creates their display name inside the embed."""
    return accounts.set_display_name(user, name)
