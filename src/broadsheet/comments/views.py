"""Comment pages and htmx fragments: parse the request, call one service, render.

Every action works as a plain form post (redirect after success, the form again with
the reason and the text after a refusal) and, with htmx, swaps a partial instead.
"""

from typing import Any
from urllib.parse import urlencode, urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from broadsheet.appeals import queries as appeals_queries
from broadsheet.comments import queries, services
from broadsheet.comments.gate import decide
from broadsheet.comments.models import Comment
from broadsheet.comments.stream import (
    Composer,
    edit_form,
    new_comment_form,
    reply_form,
    stream_context,
    thread_context,
)
from broadsheet.core.exceptions import ServiceError
from broadsheet.stories.models import Story
from broadsheet.stories.queries import published_stories

STREAM = "comments/stream.html#stream"


def _htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _story(story_id: int) -> Story:
    return get_object_or_404(published_stories(), pk=story_id)


def _found(load: Any, *args: Any) -> Any:
    try:
        return load(*args)
    except ServiceError as error:
        if error.status == 404:
            raise Http404(error.message) from error
        raise


def _tell(request: HttpRequest, level: int, text: str) -> None:
    """A message for the next full page; with htmx the stream itself shows it."""
    if _htmx(request):
        request.comments_notice = (messages.DEFAULT_TAGS[level], text)  # type: ignore[attr-defined]
    else:
        messages.add_message(request, level, text)


def _stream_response(
    request: HttpRequest, story: Story, *, focus: Comment | None = None
) -> HttpResponse:
    """The whole stream, swapped in place of the old one (whatever the form targeted).

    `focus`: a comment whose thread opens first, so the reader sees what they just did.
    """
    story.refresh_from_db(fields=["comment_count", "comment_version"])
    thread = (focus.root_id or focus.pk) if focus is not None else None
    # Keep the tab the reader was on: htmx names the page it was sent from.
    shown = urlsplit(request.headers.get("HX-Current-URL", "")).query
    params = QueryDict(shown)
    if params.get("cursor"):
        params = QueryDict(urlencode({"sort": params.get("sort", "")}))
    stream = stream_context(request, story, focus_thread=thread, params=params)
    stream["notice"] = getattr(request, "comments_notice", None)
    response = render(request, STREAM, {"stream": stream})
    response["HX-Retarget"] = "#comment-stream"
    response["HX-Reswap"] = "outerHTML"
    return response


def _refused(
    request: HttpRequest, story: Story, form: Composer, error: ServiceError, title: str
) -> HttpResponse:
    form.error = error.message
    decision = decide(request.user, story)
    if error.code == decision.reason:
        form.error_html = decision.message_html
    if _htmx(request):
        # htmx swaps only successful responses: the refusal is the content.
        return render(request, "comments/stream.html#composer", {"form": form})
    context = {"story": story, "form": form, "title": title}
    return render(request, "comments/compose.html", context, status=error.status)


def _posted(request: HttpRequest, comment: Comment) -> HttpResponse:
    if comment.status == Comment.Status.PENDING:
        _tell(
            request, messages.INFO, _("Thank you. Your comment is awaiting review by a moderator.")
        )
    else:
        _tell(request, messages.SUCCESS, _("Your comment is published."))
    if _htmx(request):
        return _stream_response(request, comment.story, focus=comment)
    anchor = f"#comment-{comment.pk}"
    if comment.status == Comment.Status.PUBLISHED:
        # Whatever tab is the default, the thread opens first with the new comment in it.
        thread = comment.root_id or comment.pk
        return redirect(f"{comment.story.get_absolute_url()}?thread={thread}{anchor}")
    return redirect(comment.story.get_absolute_url() + anchor)


@require_http_methods(["GET", "POST"])
def story_stream(request: HttpRequest, story_id: int) -> HttpResponse:
    """GET: the stream (or, with a cursor, the next page) as a fragment. POST: a new comment."""
    story = _story(story_id)
    if request.method == "GET":
        if not _htmx(request):
            query = request.GET.urlencode()
            return redirect(story.get_absolute_url() + (f"?{query}" if query else "") + "#comments")
        stream = stream_context(request, story)
        if request.GET.get("cursor"):
            return HttpResponse(stream["page_html"])
        return render(request, STREAM, {"stream": stream})
    text = request.POST.get("text", "")
    form = new_comment_form(story, text=text)
    try:
        comment = services.post_comment(
            request.user, story, text, token=request.POST.get("token", "")
        )
    except ServiceError as error:
        return _refused(request, story, form, error, _("Post a comment"))
    return _posted(request, comment)


@require_http_methods(["GET", "POST"])
def reply(request: HttpRequest, comment_id: int) -> HttpResponse:
    parent = _found(queries.published_comment, request.user, comment_id)
    story = parent.story
    if request.method == "GET":
        decision = decide(request.user, story)
        form = reply_form(parent)
        if not decision.allowed:
            form.error, form.error_html = decision.message, decision.message_html
        if _htmx(request):
            return render(request, "comments/stream.html#composer", {"form": form})
        return render(
            request, "comments/compose.html", {"story": story, "form": form, "title": "Reply"}
        )
    text = request.POST.get("text", "")
    form = reply_form(parent, text=text)
    try:
        comment = services.reply_to(
            request.user, parent.pk, text, token=request.POST.get("token", "")
        )
    except ServiceError as error:
        return _refused(request, story, form, error, "Reply")
    return _posted(request, comment)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _found(queries.own_comment, request.user, comment_id)
    story = comment.story
    if request.method == "GET":
        form = edit_form(comment)
        if not services.may_still_edit(comment) or comment.status not in (
            Comment.Status.PUBLISHED,
            Comment.Status.PENDING,
        ):
            form.error = _("This comment can no longer be edited.")
        if _htmx(request):
            return render(request, "comments/stream.html#composer", {"form": form})
        context = {"story": story, "form": form, "title": _("Edit your comment")}
        return render(request, "comments/compose.html", context)
    text = request.POST.get("text", "")
    form = edit_form(comment, text=text)
    try:
        edited = services.edit_comment(request.user, comment.pk, text)
    except ServiceError as error:
        return _refused(request, story, form, error, _("Edit your comment"))
    if edited.status == Comment.Status.PENDING:
        _tell(request, messages.INFO, _("Your edited comment is awaiting review by a moderator."))
    else:
        _tell(request, messages.SUCCESS, _("Your comment is updated."))
    if _htmx(request):
        return _stream_response(request, story, focus=edited)
    if edited.status == Comment.Status.PUBLISHED:
        return redirect(f"/comments/{edited.pk}/")
    return redirect(f"{story.get_absolute_url()}#comment-{edited.pk}")


@login_required
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, comment_id: int) -> HttpResponse:
    """GET asks first (without JavaScript); POST deletes."""
    comment = _found(queries.own_comment, request.user, comment_id)
    if request.method == "GET":
        if comment.status in (Comment.Status.DELETED, Comment.Status.REJECTED):
            raise Http404(_("There is no such comment."))
        return render(request, "comments/delete.html", {"comment": comment})
    try:
        services.delete_comment(request.user, comment.pk)
    except ServiceError as error:
        _tell(request, messages.ERROR, error.message)
    else:
        _tell(request, messages.SUCCESS, _("Your comment is deleted."))
    if _htmx(request):
        return _stream_response(request, comment.story, focus=comment)
    story_url = comment.story.get_absolute_url()
    if comment.root_id:
        return redirect(f"{story_url}?thread={comment.root_id}#comment-{comment.root_id}")
    if comment.reply_count:
        return redirect(f"{story_url}?thread={comment.pk}#comment-{comment.pk}")
    return redirect(story_url + "#comments")


@require_POST
def recommend(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = _found(queries.published_comment, request.user, comment_id)
    back = f"{comment.story.get_absolute_url()}#comment-{comment.pk}"
    try:
        result = services.toggle_recommend(request.user, comment.pk)
    except ServiceError as error:
        if error.code == "sign_in_required" and not _htmx(request):
            return redirect(f"/accounts/sign-in/?next={comment.story.get_absolute_url()}")
        if _htmx(request):
            # htmx swaps only successful responses: the refusal takes the button's place.
            return HttpResponse(
                format_html(
                    '<span class="recommend errorlist" id="recommend-{}" role="alert">{}</span>',
                    comment.pk,
                    error.message,
                )
            )
        messages.error(request, error.message)
        return redirect(back)
    if _htmx(request):
        entry = queries.Entry(
            id=comment.pk,
            story_id=comment.story_id,
            author_id=comment.author_id,
            author_name="",
            body_html="",
            created_at=comment.created_at,
            edited_at=None,
            deleted=False,
            featured=False,
            recommend_count=result.count,
            reply_count=0,
            depth=comment.depth,
            parent_id=None,
            root_id=None,
            in_reply_to_id=None,
            in_reply_to_name="",
        )
        reader = queries.ReaderView(
            user_id=request.user.pk,
            recommended=frozenset({comment.pk}) if result.recommended else frozenset(),
        )
        stream = {"signed_in": True, "reader": reader}
        return render(
            request, "comments/stream.html#recommend", {"comment": entry, "stream": stream}
        )
    return redirect(back)


@require_GET
def permalink(request: HttpRequest, comment_id: int) -> HttpResponseRedirect:
    """A comment's own address: its story, with its thread open, scrolled to it."""
    comment = _found(queries.public_comment, request.user, comment_id)
    thread = comment.root_id or comment.pk
    return redirect(f"{comment.story.get_absolute_url()}?thread={thread}#comment-{comment.pk}")


@require_GET
def thread(request: HttpRequest, comment_id: int) -> HttpResponse:
    """A whole thread as a fragment, for "show N more replies"."""
    comment = _found(queries.public_comment, request.user, comment_id)
    if not _htmx(request):
        return permalink(request, comment_id)
    found = queries.full_thread(comment.story, comment.root_id or comment.pk)
    if found is None:
        raise Http404(_("There is no such comment."))
    stream = thread_context(request, comment.story, found)
    return render(request, "comments/stream.html#thread", {"thread": found, "stream": stream})


@login_required
@require_GET
def my_comments(request: HttpRequest) -> HttpResponse:
    page = queries.my_comments(request.user, request.GET.get("page"))  # type: ignore[arg-type]
    appeals_queries.attach_statements(page.object_list)
    context = {
        "account_section": "comments",
        "page": page,
        "sanctions": appeals_queries.sanctions_in_force(request.user),
    }
    return render(request, "comments/my_comments.html", context)
