"""Notification pages: parse the request, call one service or query, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from broadsheet.accounts.readers import signed_in
from broadsheet.comments.queries import public_comment
from broadsheet.core.exceptions import ServiceError
from broadsheet.notifications import queries, services
from broadsheet.notifications.forms import PreferencesForm
from broadsheet.notifications.preferences import preferences_for


def _reader_id(request: HttpRequest) -> int:
    user = signed_in(request.user)
    assert user is not None  # behind login_required
    return user.pk


def _not_found(error: ServiceError) -> None:
    if error.status == 404:
        raise Http404(error.message) from error
    raise error


# --- the reader's notifications ------------------------------------------------------------


@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    reader_id = _reader_id(request)
    return render(
        request,
        "notifications/inbox.html",
        {"notifications": queries.recent(reader_id), "unread": queries.unread_count(reader_id)},
    )


@login_required
@require_POST
def mark_read(request: HttpRequest) -> HttpResponse:
    services.mark_all_read(request.user)
    return redirect("notifications:inbox")


@login_required
@require_GET
def open_notification(request: HttpRequest, notification_id: int) -> HttpResponse:
    try:
        return redirect(services.open_notification(request.user, notification_id))
    except ServiceError as error:
        _not_found(error)
        raise


# --- unsubscribing (signed out, by token) ---------------------------------------------------


@csrf_exempt  # the signed token is the proof; mail programs POST here without a session
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks (link checkers must not unsubscribe anyone); POST is the one click (RFC 8058)."""
    try:
        label = services.unsubscribe_topic(token)
        if request.method == "POST":
            services.unsubscribe(token)
    except ServiceError:
        return render(request, "notifications/unsubscribe_invalid.html", status=400)
    done = request.method == "POST"
    return render(request, "notifications/unsubscribe.html", {"topic_label": label, "done": done})


# --- following -----------------------------------------------------------------------------


def _following(request: HttpRequest) -> bool:
    return request.POST.get("following") == "1"


@login_required
@require_POST
def follow_story(request: HttpRequest, story_id: int) -> HttpResponse:
    try:
        following = services.follow_story(request.user, story_id, _following(request))
    except ServiceError as error:
        _not_found(error)
        raise
    from broadsheet.stories.models import Story

    story = Story.objects.get(pk=story_id)
    if getattr(request, "htmx", False):
        return render(
            request,
            "comments/stream.html#follow-story",
            {"stream": {"story": story, "following_story": following, "signed_in": True}},
        )
    messages.success(
        request,
        _("You follow this discussion.")
        if following
        else _("You no longer follow this discussion."),
    )
    return redirect(story.get_absolute_url() + "#comments")


@login_required
@require_POST
def follow_thread(request: HttpRequest, comment_id: int) -> HttpResponse:
    try:
        root = services.follow_thread(request.user, comment_id, _following(request))
    except ServiceError as error:
        _not_found(error)
        raise
    following = _following(request)
    if getattr(request, "htmx", False):
        return render(
            request,
            "comments/stream.html#follow-thread",
            {
                "comment": {"id": root.pk},
                "stream": {"reader": {"followed_threads": {root.pk} if following else set()}},
            },
        )
    messages.success(
        request,
        _("You follow this thread.") if following else _("You no longer follow this thread."),
    )
    return redirect(f"/comments/{root.pk}/")


# --- muting --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def mute(request: HttpRequest, comment_id: int) -> HttpResponse:
    """GET asks first; POST mutes the comment's author."""
    try:
        comment = public_comment(request.user, comment_id)
    except ServiceError as error:
        _not_found(error)
        raise
    if request.method == "GET":
        return render(request, "notifications/mute.html", {"comment": comment})
    try:
        muted = services.mute_author_of(request.user, comment_id)
    except ServiceError as error:
        if error.status == 404:
            raise Http404(error.message) from error
        messages.error(request, error.message)
        return redirect(f"/comments/{comment_id}/")
    messages.success(
        request,
        _("You muted %(public_name)s. Their comments are collapsed for you; they are not told.")
        % {"public_name": muted.public_name},
    )
    return redirect(f"/comments/{comment_id}/")


# --- the account page: Notifications and Muted readers -------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def settings_page(request: HttpRequest) -> HttpResponse:
    reader_id = _reader_id(request)
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            services.update_preferences(request.user, **form.cleaned_data)
            messages.success(request, _("Your notification settings are saved."))
            return redirect("notifications:settings")
    else:
        preferences = preferences_for(reader_id)
        form = PreferencesForm(
            initial={name: getattr(preferences, name) for name in PreferencesForm.base_fields}
        )
    return render(
        request,
        "notifications/settings.html",
        {"account_section": "notifications", "form": form, "follows": queries.followed(reader_id)},
        status=400 if form.errors else 200,
    )


@login_required
@require_GET
def muted_page(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "notifications/muted.html",
        {"account_section": "muted", "mutes": queries.muted_readers(_reader_id(request))},
    )


@login_required
@require_POST
def unmute(request: HttpRequest, reader_id: int) -> HttpResponse:
    try:
        services.unmute(request.user, reader_id)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Unmuted. Their comments show in full again."))
    return redirect("notifications:muted")
