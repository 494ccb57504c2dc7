"""Every write to comments comes through here: check, write in a transaction, publish after."""

import time
from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from broadsheet.accounts.models import User
from broadsheet.accounts.readers import Reader, signed_in
from broadsheet.comments import conf, limits, queries
from broadsheet.comments.gate import decide
from broadsheet.comments.markdown import render_comment
from broadsheet.comments.models import Comment, Reaction
from broadsheet.core import audit
from broadsheet.core.events import publish_on_commit
from broadsheet.core.exceptions import ServiceError
from broadsheet.moderation.models import Sanction
from broadsheet.moderation.pipeline import Outcome, screen
from broadsheet.moderation.sanctions import COMMENTING_KINDS, commenting_sanction, in_force
from broadsheet.notifications import activity
from broadsheet.stories.models import Story

# Only published comments count towards a story's comment count and a comment's replies.
COUNTED = Comment.Status.PUBLISHED
DELETED_BY_AUTHOR = "Deleted by its author."  # kept in the audit log as written


def _lock_story(story_id: int) -> None:
    """Take the story's row lock first in every write: one order for all, so no deadlocks.

    Writes lock the story (counts), the comment and its parent (reply count); taking
    the story first serialises a story's writers instead of letting two of them wait
    for each other's rows. SQLite has no row locks: its write transactions begin
    IMMEDIATE, holding the database's one write lock already, so there is nothing to ask.
    """
    if connection.features.has_select_for_update:
        list(Story.objects.select_for_update().filter(pk=story_id).values_list("pk", flat=True))


def _bump(story_id: int, count_delta: int = 0) -> None:
    Story.objects.filter(pk=story_id).update(
        comment_count=F("comment_count") + count_delta, comment_version=F("comment_version") + 1
    )


def _count_reply(comment: Comment, delta: int) -> None:
    if comment.parent_id is not None and delta:
        Comment.objects.filter(pk=comment.parent_id).update(reply_count=F("reply_count") + delta)


def set_status(
    comment: Comment, status: str, *, by: User | None = None, reason: str = ""
) -> Comment:
    """Move `comment` to `status`, keeping the story's count and cache version exact.

    Moderation (approve, reject, hide) and authors (delete) both come through here.
    """
    with transaction.atomic():
        _lock_story(comment.story_id)
        locked = Comment.objects.select_for_update().get(pk=comment.pk)
        previous = locked.status
        if previous == status:
            return locked
        locked.status = status
        locked.status_reason = reason
        locked.status_changed_at = timezone.now()
        locked.status_changed_by = by
        locked.save(
            update_fields=["status", "status_reason", "status_changed_at", "status_changed_by"]
        )
        delta = (status == COUNTED) - (previous == COUNTED)
        _bump(locked.story_id, delta)
        _count_reply(locked, delta)
        if status == COUNTED:
            activity.comment_published(locked)
        publish_on_commit(
            "comment.status_changed",
            f"story:{locked.story_id}",
            comment_id=locked.pk,
            status=status,
            previous=previous,
        )
    return locked


def set_featured(comment: Comment, featured: bool, *, by: User | None = None) -> Comment:
    """Mark or unmark `comment` as an editors' pick (`by`: the moderator who chose it)."""
    with transaction.atomic():
        _lock_story(comment.story_id)
        Comment.objects.filter(pk=comment.pk).update(is_featured=featured)
        _bump(comment.story_id)
        if featured:
            activity.comment_featured(comment, by=by)
        publish_on_commit(
            "comment.featured" if featured else "comment.unfeatured",
            f"story:{comment.story_id}",
            comment_id=comment.pk,
        )
    comment.is_featured = featured
    return comment


# --- checks shared by posting and editing -------------------------------------------------


def _require_gate(reader: Reader, story: Story, sanctions: list[Sanction] | None = None) -> User:
    decision = decide(reader, story, sanctions=sanctions)
    if not decision.allowed:
        raise ServiceError(decision.message, code=decision.reason, status=decision.status)
    user = signed_in(reader)
    assert user is not None  # the gate lets no visitor through
    return user


def clean_text(text: str) -> str:
    """The comment as stored: line endings normalised, outer whitespace trimmed."""
    cleaned = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not cleaned:
        raise ServiceError(_("Write something before posting."), code="empty", status=422)
    if "\x00" in cleaned:
        raise ServiceError(_("The comment contains characters we cannot store."), code="invalid")
    longest = conf.max_length()
    if len(cleaned) > longest:
        raise ServiceError(
            _("A comment can be at most %(longest)s characters long; this one has %(len)s.")
            % {"longest": format(longest, ","), "len": format(len(cleaned), ",")},
            code="too_long",
            status=422,
        )
    return cleaned


def _refuse_repeat(user: User, text: str, *, exclude: int | None = None) -> None:
    since = timezone.now() - timedelta(seconds=conf.duplicate_window_seconds())
    repeats = Comment.objects.filter(author=user, body=text, created_at__gte=since).exclude(
        status=Comment.Status.DELETED
    )
    if exclude is not None:
        repeats = repeats.exclude(pk=exclude)
    if repeats.exists():
        raise ServiceError(
            _("You posted the same text a moment ago."), code="duplicate", status=422
        )


# --- posting ------------------------------------------------------------------------------


def _thread_place(parent: Comment | None, story: Story) -> dict[str, object]:
    """Where a reply goes: under its parent, or beside it when the parent is deepest."""
    if parent is None:
        return {"parent": None, "root": None, "depth": 1, "in_reply_to": None}
    if parent.story_id != story.pk or parent.status != Comment.Status.PUBLISHED:
        raise ServiceError(
            _("You can only reply to a published comment."), code="not_found", status=404
        )
    if parent.depth >= conf.max_depth():
        return {
            "parent": parent.parent,
            "root": parent.root,
            "depth": parent.depth,
            "in_reply_to": parent,
        }
    return {
        "parent": parent,
        "root": parent.root or parent,
        "depth": parent.depth + 1,
        "in_reply_to": None,
    }


def _already_posted(user: User, token: str) -> Comment | None:
    return Comment.objects.filter(author=user, client_token=token).first() if token else None


def post_comment(
    reader: Reader, story: Story, text: str, *, parent: Comment | None = None, token: str = ""
) -> Comment:
    """Post `text` by `reader` on `story` (as a reply to `parent`), through every check.

    A second submission of the same form (`token`) returns the first comment instead of
    storing another. A refused comment stores nothing.
    """
    measures = in_force(reader, COMMENTING_KINDS)  # one read for the gate and moderation
    user = _require_gate(reader, story, measures)
    token = token.strip()[:64]
    existing = _already_posted(user, token)
    if existing is not None:
        return existing
    body = clean_text(text)
    place = _thread_place(parent, story)
    if token and not limits.claim_token(user.pk, token):
        # The same form is being posted right now: wait for it and answer with its comment.
        return _wait_for_token(user, token)
    try:
        _refuse_repeat(user, body)
        limits.take_post_slot(user.pk)
        try:
            comment = _store_new(user, story, body, place, token, measures)
        except BaseException:
            limits.give_back_post_slot(user.pk)
            raise
    except BaseException:
        if token:
            limits.release_token(user.pk, token)
        raise
    return comment


def _wait_for_token(user: User, token: str) -> Comment:
    for _attempt in range(50):
        existing = _already_posted(user, token)
        if existing is not None:
            return existing
        time.sleep(0.1)
    raise ServiceError(
        _("This form was already sent; reload the page to post again."),
        code="duplicate",
        status=409,
    )


def _screening_status(screening_outcome: Outcome) -> str:
    return COUNTED if screening_outcome == Outcome.PUBLISH else Comment.Status.PENDING


def _store_new(
    user: User,
    story: Story,
    body: str,
    place: dict[str, object],
    token: str,
    sanctions: list[Sanction],
) -> Comment:
    screening = screen(author=user, story=story, text=body, editing=None, sanctions=sanctions)
    if screening.outcome == Outcome.REFUSE:
        if screening.category:
            # An automatic removal: counted on the transparency page (the text is not kept).
            from broadsheet.appeals.grounds import infer

            audit.record(
                None,
                "moderation:comment:refused",
                story,
                author=user.pk,
                category=screening.category,
                ground=infer("", screening.category),
                automatic=True,
            )
        raise ServiceError(
            screening.message or _("This comment cannot be posted."), code="refused", status=422
        )
    status = _screening_status(screening.outcome)
    try:
        with transaction.atomic():
            _lock_story(story.pk)
            comment = Comment.objects.create(
                story=story,
                author=user,
                body=body,
                body_html=render_comment(body),
                status=status,
                toxicity=screening.toxicity,
                hold_reasons=list(screening.reasons) if status != COUNTED else [],
                category=screening.category if status != COUNTED else "",
                client_token=token,
                **place,
            )
            delta = int(status == COUNTED)
            _bump(story.pk, delta)
            _count_reply(comment, delta)
            activity.comment_created(comment)
            publish_on_commit(
                "comment.created",
                f"story:{story.pk}",
                comment_id=comment.pk,
                status=status,
                parent_id=comment.parent_id,
            )
    except IntegrityError:
        # The same form token slipped past the cache (e.g. the cache was cleared).
        existing = _already_posted(user, token)
        if existing is None:
            raise
        return existing
    return comment


def reply_to(reader: Reader, comment_id: int, text: str, *, token: str = "") -> Comment:
    parent = queries.published_comment(reader, comment_id)
    return post_comment(reader, parent.story, text, parent=parent, token=token)


# --- editing and deleting -----------------------------------------------------------------


def _own_comment(reader: Reader, comment_id: int) -> tuple[User, Comment]:
    user = signed_in(reader)
    if user is None:
        raise ServiceError(_("Sign in first."), code="sign_in_required", status=401)
    comment = queries.comment_for_reader(user, comment_id)
    if comment.author_id != user.pk:
        raise ServiceError(
            _("You can only change your own comments."), code="not_yours", status=403
        )
    if comment.status in (Comment.Status.DELETED, Comment.Status.REJECTED):
        raise ServiceError(
            _("This comment can no longer be changed."), code="not_editable", status=403
        )
    return user, comment


def may_still_edit(comment: Comment) -> bool:
    return timezone.now() < comment.created_at + timedelta(seconds=conf.edit_window_seconds())


def edit_comment(reader: Reader, comment_id: int, text: str) -> Comment:
    """Replace the text of the reader's own comment, within the edit window, screened again."""
    user, comment = _own_comment(reader, comment_id)
    if not may_still_edit(comment):
        minutes = conf.edit_window_seconds() // 60
        raise ServiceError(
            _("Comments can be edited for %(minutes)s minutes after posting.")
            % {"minutes": minutes},
            code="edit_window_closed",
            status=403,
        )
    measures = in_force(user, COMMENTING_KINDS)
    _require_gate(user, comment.story, measures)
    body = clean_text(text)
    if body == comment.body:
        return comment
    screening = screen(
        author=user, story=comment.story, text=body, editing=comment, sanctions=measures
    )
    if screening.outcome == Outcome.REFUSE:
        raise ServiceError(
            screening.message or _("This comment cannot be posted."), code="refused", status=422
        )
    status = _screening_status(screening.outcome)
    with transaction.atomic():
        _lock_story(comment.story_id)
        locked = Comment.objects.select_for_update().get(pk=comment.pk)
        previous = locked.status
        if previous in (Comment.Status.DELETED, Comment.Status.REJECTED):
            raise ServiceError(
                _("This comment can no longer be changed."), code="not_editable", status=403
            )
        locked.body = body
        locked.body_html = render_comment(body)
        locked.edited_at = timezone.now()
        locked.revision = F("revision") + 1
        locked.status = status
        locked.toxicity = screening.toxicity
        locked.hold_reasons = list(screening.reasons) if status != COUNTED else []
        locked.category = screening.category if status != COUNTED else ""
        locked.save(
            update_fields=[
                "body",
                "body_html",
                "edited_at",
                "revision",
                "status",
                "toxicity",
                "hold_reasons",
                "category",
            ]
        )
        delta = (status == COUNTED) - (previous == COUNTED)
        _bump(locked.story_id, delta)
        _count_reply(locked, delta)
        if delta > 0:  # an edit that passed screening publishes a held comment
            activity.comment_published(locked)
        # What it said before: a moderator can see what an approved comment was changed from.
        audit.record(
            user,
            "comments:comment:edited",
            locked,
            previous_body=comment.body,
            status=status,
            previous_status=previous,
        )
        publish_on_commit(
            "comment.edited", f"story:{locked.story_id}", comment_id=locked.pk, status=status
        )
    locked.refresh_from_db()
    return locked


def delete_comment(reader: Reader, comment_id: int) -> Comment:
    """Delete the reader's own comment. Its replies stay, under "This comment was deleted"."""
    user, comment = _own_comment(reader, comment_id)
    with transaction.atomic():
        deleted = set_status(comment, Comment.Status.DELETED, by=user, reason=DELETED_BY_AUTHOR)
        audit.record(user, "comments:comment:deleted", comment, reason=DELETED_BY_AUTHOR)
        # The words go with the comment; the row stays so its replies keep their place.
        Comment.objects.filter(pk=comment.pk).update(body="", body_html="")
    deleted.body = deleted.body_html = ""
    return deleted


# --- reactions ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Recommendation:
    comment_id: int
    recommended: bool
    count: int


def toggle_recommend(reader: Reader, comment_id: int) -> Recommendation:
    """Recommend the comment, or take the recommendation back. One per reader; not one's own."""
    user = signed_in(reader)
    if user is None:
        raise ServiceError(_("Sign in to recommend comments."), code="sign_in_required", status=401)
    comment = queries.published_comment(user, comment_id)
    if comment.author_id == user.pk:
        raise ServiceError(
            _("You cannot recommend your own comment."), code="own_comment", status=403
        )
    sanction = commenting_sanction(user)
    if sanction is not None:
        code = "banned" if sanction.kind == Sanction.Kind.BAN else "suspended"
        raise ServiceError(_("Your account may not react to comments now."), code=code, status=403)
    kind = Reaction.Kind.RECOMMEND
    with transaction.atomic():
        _lock_story(comment.story_id)
        removed, _kinds = Reaction.objects.filter(comment=comment, reader=user, kind=kind).delete()
        if removed:
            delta = -1
        else:
            try:
                with transaction.atomic():
                    Reaction.objects.create(comment=comment, reader=user, kind=kind)
                delta = 1
            except IntegrityError:
                # A simultaneous click already recommended it; keep that one.
                delta = 0
        if delta:
            Comment.objects.filter(pk=comment.pk).update(
                recommend_count=F("recommend_count") + delta
            )
            _bump(comment.story_id)
            publish_on_commit(
                "comment.reacted",
                f"story:{comment.story_id}",
                comment_id=comment.pk,
                recommended=delta > 0,
            )
    count = Comment.objects.values_list("recommend_count", flat=True).get(pk=comment.pk)
    return Recommendation(comment.pk, recommended=delta >= 0, count=count)


def author_renamed(author: User) -> None:
    """Show a reader's new display name at once on every story they commented on.

    Cached thread pages carry names, so the stories' comment versions move on.
    """
    Story.objects.filter(pk__in=Comment.objects.filter(author=author).values("story_id")).update(
        comment_version=F("comment_version") + 1
    )
