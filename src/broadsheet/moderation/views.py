"""The moderation desk and the reader's report form: parse, call one service, render."""

from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import parse_qs, urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from broadsheet.accounts.models import User
from broadsheet.appeals.grounds import Ground
from broadsheet.comments import queries as comment_queries
from broadsheet.comments import quiet
from broadsheet.core.exceptions import ServiceError
from broadsheet.moderation import audit_text, conf, dashboard, queries, services
from broadsheet.moderation.access import is_desk_member
from broadsheet.moderation.categories import Category
from broadsheet.moderation.forms import (
    REJECT_REASONS,
    AuditFilterForm,
    BulkForm,
    DecisionForm,
    DomainForm,
    LiftForm,
    NoteForm,
    QuietHoursForm,
    ReportForm,
    SanctionForm,
    TermForm,
    ThresholdsForm,
)
from broadsheet.moderation.models import Sanction

View = Callable[..., HttpResponse]


def desk_view(view: View) -> View:
    """Moderators and editors only: visitors are sent to sign in, everyone else gets 403."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not is_desk_member(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _htmx(request: HttpRequest) -> bool:
    """Whether htmx sent the request (django-htmx sets `request.htmx`)."""
    return bool(getattr(request, "htmx", False))


def _back(request: HttpRequest, default: str) -> HttpResponseRedirect:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


def _desk_context(request: HttpRequest, story: Any = None) -> dict[str, Any]:
    counts = queries.queue_counts(story)
    return {
        "queues": [(q, counts.get(q.slug, 0)) for q in queries.QUEUES],
        "filter_story": story,
        "story_query": f"?story={story.pk}" if story else "",
        "threshold": conf.toxicity_threshold(),
        "reject_reasons": REJECT_REASONS,
        "grounds": Ground.choices,
    }


@desk_view
@require_http_methods(["GET"])
def queue(request: HttpRequest, slug: str = "pending") -> HttpResponse:
    if slug not in queries.QUEUE_SLUGS:
        raise Http404
    story = queries.story_for_desk(request.GET.get("story"))
    page = Paginator(queries.queue_comments(slug, story), conf.desk_page_size()).get_page(
        request.GET.get("page")
    )
    current = next(q for q in queries.QUEUES if q.slug == slug)
    context = _desk_context(request, story) | {
        "queue": current,
        "page": page,
        "items": page.object_list,
        "desk_section": "queues",
        "undo_offer": _pending_undo(request),
    }
    return render(request, "moderation/queue.html", context)


@desk_view
@require_http_methods(["GET"])
def item(request: HttpRequest, comment_id: int) -> HttpResponse:
    comment = queries.comment_for_desk(comment_id)
    if comment is None:
        raise Http404
    context = _desk_context(request) | {
        "comment": comment,
        "history": queries.author_history(comment.author),
        "reports": queries.reports_on(comment),
        "audit": queries.audit_for(comment)[:20],
        "recent": queries.recent_comments_by(comment.author, exclude=comment.pk)[:5],
        "sanction_form": SanctionForm(initial={"comment": comment.pk}),
        "kinds": Sanction.Kind.choices,
        "desk_section": "queues",
        "next": request.get_full_path(),
    }
    return render(request, "moderation/item.html", context)


def _story_of_page(request: HttpRequest) -> Any:
    """The story the desk page is filtered to, for an htmx request made from that page."""
    current = getattr(getattr(request, "htmx", None), "current_url", None) or ""
    story_id = parse_qs(urlsplit(current).query).get("story", [""])[0]
    return queries.story_for_desk(story_id)


def _item_response(request: HttpRequest, comment_id: int, **state: Any) -> HttpResponse:
    """The decided item, re-rendered in place, with the queue counts swapped out of band."""
    comment = queries.comment_for_desk(comment_id)
    if comment is None:
        raise Http404
    # The item just acted on stays the current one (the keys go on from it).
    context = _desk_context(request, _story_of_page(request)) | {
        "comment": comment,
        "current": True,
        **state,
    }
    return render(request, "moderation/_item_response.html", context)


def _offer_undo(request: HttpRequest, action: str, comment_ids: list[int]) -> None:
    """Remember the decision the next desk page offers to undo (forms without htmx, bulk)."""
    if comment_ids:
        request.session[UNDO_KEY] = {
            "ids": comment_ids,
            "action": action,
            "at": timezone.now().timestamp(),
        }


def _pending_undo(request: HttpRequest) -> dict[str, Any] | None:
    offer = request.session.pop(UNDO_KEY, None)
    if not isinstance(offer, dict) or not offer.get("ids"):
        return None
    left = conf.undo_seconds() - (timezone.now().timestamp() - float(offer.get("at", 0)))
    if left <= 0:
        return None
    count = len(offer["ids"])
    return {
        "ids": offer["ids"],
        "seconds": int(left) or 1,
        "words": (
            ngettext("%(n)d comment %(past)s.", "%(n)d comments %(past)s.", count)
            % {"n": count, "past": PAST.get(offer.get("action", ""), "")}
        ),
    }


UNDO_KEY = "desk_undo"


@desk_view
@require_POST
def decide(request: HttpRequest, comment_id: int) -> HttpResponse:
    form = DecisionForm(request.POST)
    error = ""
    done = ""
    if not form.is_valid():
        error = _("The decision could not be read; reload the page and try again.")
    else:
        data = form.cleaned_data
        try:
            services.decide(
                _user(request),
                comment_id,
                data["action"],
                seen=services.Seen(revision=data["revision"], status=data["status"]),
                reason=data["reason"],
                ground=data["ground"],
                guideline=data["guideline"],
            )
        except ServiceError as exc:
            error = exc.message
        else:
            done = data["action"]
    if _htmx(request):
        return _item_response(
            request, comment_id, error=error, done=done, undo_seconds=conf.undo_seconds()
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(
            request,
            _("Comment #%(comment_id)s: %(PAST_done)s.")
            % {"comment_id": comment_id, "PAST_done": PAST[done]},
        )
        _offer_undo(request, done, [comment_id])
    return _back(request, reverse("moderation:queue"))


PAST = {
    "approve": gettext_lazy("approved"),
    "reject": gettext_lazy("rejected"),
    "feature": gettext_lazy("featured"),
    "unfeature": gettext_lazy("no longer featured"),
}


@desk_view
@require_POST
def bulk(request: HttpRequest) -> HttpResponse:
    form = BulkForm(request.POST, items=request.POST.getlist("item"))
    if not form.is_valid():
        for error in form.non_field_errors() or [_("Choose approve or reject.")]:
            messages.error(request, str(error))
        return _back(request, reverse("moderation:queue"))
    data = form.cleaned_data
    try:
        results = services.decide_many(
            _user(request),
            [(cid, services.Seen(rev, status)) for cid, rev, status in data["items"]],
            data["action"],
            reason=data["reason"],
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
        return _back(request, reverse("moderation:queue"))
    applied = sum(r.ok for r in results)
    messages.success(
        request,
        _("%(applied)s of %(len)s comments %(PAST_data_action)s.")
        % {"applied": applied, "len": len(results), "PAST_data_action": PAST[data["action"]]},
    )
    for result in results:
        if not result.ok:
            messages.warning(
                request,
                _("Comment #%(comment_id)s: %(message)s")
                % {"comment_id": result.comment_id, "message": result.message},
            )
    _offer_undo(request, data["action"], [r.comment_id for r in results if r.ok])
    return _back(request, reverse("moderation:queue"))


@desk_view
@require_POST
def undo(request: HttpRequest) -> HttpResponse:
    """Take back the moderator's latest decision on one comment, or on a bulk selection."""
    raw = request.POST.getlist("comment")
    ids = [int(value) for value in raw if value.isdigit() and len(value) < 12]
    if not ids or len(ids) != len(raw):
        if _htmx(request):
            return HttpResponse(_("Nothing to undo was named."), status=400)
        messages.error(request, _("Nothing to undo was named."))
        return _back(request, reverse("moderation:queue"))
    user = _user(request)
    if _htmx(request) and len(ids) == 1:
        try:
            services.undo(user, ids[0])
        except ServiceError as exc:
            return _item_response(request, ids[0], error=exc.message)
        return _item_response(request, ids[0], undone=True)
    try:
        results = services.undo_many(user, ids)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return _back(request, reverse("moderation:queue"))
    undone = sum(r.ok for r in results)
    messages.success(
        request,
        ngettext("%(n)d decision undone.", "%(n)d decisions undone.", undone) % {"n": undone},
    )
    for result in results:
        if not result.ok:
            messages.warning(
                request,
                _("Comment #%(comment_id)s: %(message)s")
                % {"comment_id": result.comment_id, "message": result.message},
            )
    return _back(request, reverse("moderation:queue"))


@desk_view
@require_http_methods(["GET"])
def reader(request: HttpRequest, reader_id: int) -> HttpResponse:
    person = User.objects.filter(pk=reader_id).first()
    if person is None:
        raise Http404
    context = _desk_context(request) | {
        "person": person,
        "history": queries.author_history(person),
        "recent": queries.recent_comments_by(person, limit=20),
        "sanction_form": SanctionForm(),
        "kinds": Sanction.Kind.choices,
        "audit": queries.audit_about_reader(person)[:30],
        "notes": queries.notes_about(person),
        "note_form": NoteForm(),
        "desk_section": "queues",
        "next": request.get_full_path(),
    }
    return render(request, "moderation/reader.html", context)


@desk_view
@require_POST
def add_note(request: HttpRequest, reader_id: int) -> HttpResponse:
    form = NoteForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, _("Note: %(error)s") % {"error": " ".join(map(str, errors))})
    else:
        try:
            services.add_note(_user(request), reader_id, form.cleaned_data["text"])
        except ServiceError as exc:
            if exc.code == "not_found":
                raise Http404(exc.message) from exc
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Note added. Only the desk can read it."))
    return redirect("moderation:reader", reader_id)


@desk_view
@require_POST
def sanction(request: HttpRequest, reader_id: int) -> HttpResponse:
    form = SanctionForm(request.POST)
    default = reverse("moderation:reader", args=[reader_id])
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = "Reason" if field == "reason" else field.capitalize()
            messages.error(
                request,
                _("%(label)s: %(join)s")
                % {"label": label, "join": " ".join(str(e) for e in errors)},
            )
        return _back(request, default)
    data = form.cleaned_data
    try:
        created = services.sanction(
            _user(request),
            reader_id,
            data["kind"],
            reason=data["reason"],
            duration=data["duration"],
            comment_id=data.get("comment"),
            ground=data["ground"],
            guideline=data["guideline"],
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("%(get_kind_display)s recorded.")
            % {"get_kind_display": created.get_kind_display().capitalize()},
        )
    return _back(request, default)


@desk_view
@require_POST
def lift(request: HttpRequest, sanction_id: int) -> HttpResponse:
    form = LiftForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        lifted = services.lift(_user(request), sanction_id, reason=reason)
    except ServiceError as exc:
        messages.error(request, exc.message)
        return _back(request, reverse("moderation:queue"))
    messages.success(
        request,
        _("%(get_kind_display)s lifted.")
        % {"get_kind_display": lifted.get_kind_display().capitalize()},
    )
    return _back(request, reverse("moderation:reader", args=[lifted.reader_id]))


@desk_view
@require_http_methods(["GET", "POST"])
def terms(request: HttpRequest) -> HttpResponse:
    form = TermForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            term = services.add_term(
                _user(request),
                data["text"],
                data["kind"],
                note=data["note"],
                category=data["category"] or Category.OTHER,
            )
        except ServiceError as exc:
            form.add_error("text", exc.message)
        else:
            messages.success(
                request,
                _("“%(text)s” added to the %(kind)s list.")
                % {"text": term.text, "kind": term.kind},
            )
            return redirect("moderation:terms")
    query = request.GET.get("q", "").strip()[:100]
    lists = queries.terms(query)
    context = _desk_context(request) | {
        "form": form,
        "lists": lists,
        "query": query,
        "found": sum(len(terms) for terms in lists.values()),
        "desk_section": "terms",
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "moderation/terms.html", context, status=status)


@desk_view
@require_POST
def remove_term(request: HttpRequest, term_id: int) -> HttpResponse:
    try:
        services.remove_term(_user(request), term_id)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Term removed."))
    return redirect("moderation:terms")


def _form_errors(form: Any) -> list[str]:
    return [
        f"{form.fields[field].label if field in form.fields else 'Form'}: {' '.join(errors)}"
        for field, errors in form.errors.items()
    ]


@desk_view
@require_http_methods(["GET", "POST"])
def thresholds(request: HttpRequest) -> HttpResponse:
    """The site's thresholds, blocked domains, and how the newsroom model compares."""
    limits = conf.site_limits()
    form = ThresholdsForm(
        request.POST or None,
        initial={
            "toxicity": limits.toxicity,
            "newsroom": limits.newsroom,
            "spam": limits.spam,
            "strict_margin": limits.strict_margin,
            "threats": limits.threats,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.set_thresholds(_user(request), **form.cleaned_data)
        except ServiceError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Thresholds saved; they apply to the next comment."))
            return redirect("moderation:thresholds")
    context = _desk_context(request) | {
        "form": form,
        "domain_form": DomainForm(),
        "domains": queries.blocked_domains(),
        "models": queries.newsroom_models(),
        "decisions": queries.decisions_recorded(),
        "desk_section": "thresholds",
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "moderation/thresholds.html", context, status=status)


@desk_view
@require_POST
def train(request: HttpRequest) -> HttpResponse:
    try:
        messages.info(request, services.train_newsroom_model(_user(request)))
    except ServiceError as exc:
        messages.error(request, exc.message)
    return redirect("moderation:thresholds")


@desk_view
@require_POST
def block_domain(request: HttpRequest) -> HttpResponse:
    form = DomainForm(request.POST)
    if not form.is_valid():
        for error in _form_errors(form):
            messages.error(request, error)
        return redirect("moderation:thresholds")
    try:
        blocked = services.block_domain(
            _user(request), form.cleaned_data["domain"], note=form.cleaned_data["note"]
        )
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request, _("Links to %(domain)s now hold a comment.") % {"domain": blocked.domain}
        )
    return redirect("moderation:thresholds")


@desk_view
@require_POST
def unblock_domain(request: HttpRequest, domain_id: int) -> HttpResponse:
    try:
        services.unblock_domain(_user(request), domain_id)
    except ServiceError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Domain unblocked."))
    return redirect("moderation:thresholds")


@desk_view
@require_http_methods(["GET"])
def audit(request: HttpRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET)
    chosen: dict[str, Any] = {}
    if form.is_valid():
        chosen = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
    else:  # an unreadable filter is dropped, and said so; the rest still apply
        chosen = {k: form.cleaned_data[k] for k in form.cleaned_data if form.cleaned_data[k]}
    query = chosen.pop("q", "").strip()
    page = Paginator(queries.audit_log(query, **chosen), 50).get_page(request.GET.get("page"))
    filters = request.GET.copy()
    filters.pop("page", None)
    context = _desk_context(request) | {
        "form": form,
        "query": query,
        "chosen": chosen,
        "actions": [(a, audit_text.action_label(a)) for a in queries.audit_actions()],
        "moderators": queries.audit_moderators(),
        "filter_query": filters.urlencode(),
        "page": page,
        "entries": page.object_list,
        "desk_section": "audit",
    }
    return render(request, "moderation/audit.html", context)


@desk_view
@require_http_methods(["GET", "POST"])
def quiet_hours(request: HttpRequest) -> HttpResponse:
    """The site's quiet hours: every desk member sees them, editors and admins change them."""
    hours = quiet.current()
    may_edit = request.user.has_perm(quiet.PERMISSION)
    form = QuietHoursForm(
        request.POST or None,
        initial={"enabled": hours.enabled, "starts": hours.starts, "ends": hours.ends},
    )
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                quiet.set_quiet_hours(_user(request), **form.cleaned_data)
            except ServiceError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Quiet hours saved."))
                return redirect("moderation:quiet_hours")
    context = _desk_context(request) | {
        "form": form,
        "hours": hours,
        "may_edit": may_edit,
        "closed_until": quiet.closed_until(),
        "zone": timezone.get_current_timezone_name(),
        "desk_section": "quiet_hours",
    }
    return render(
        request, "moderation/quiet_hours.html", context, status=400 if form.errors else 200
    )


@desk_view
@require_http_methods(["GET"])
def stories(request: HttpRequest) -> HttpResponse:
    """Triage by story: stories ordered by comments waiting, each linking to its own desk."""
    context = _desk_context(request) | {
        "loads": queries.stories_waiting(),
        "desk_section": "stories",
    }
    return render(request, "moderation/stories.html", context)


@desk_view
@require_http_methods(["GET"])
def dashboard_view(request: HttpRequest) -> HttpResponse:
    period = request.GET.get("period", "week")
    if period not in dashboard.PERIODS:
        period = "week"
    context = _desk_context(request) | {
        "period": period,
        "periods": [("week", _("Last week")), ("month", _("Last month"))],
        "stats": dashboard.dashboard(dashboard.PERIODS[period]),
        "desk_section": "dashboard",
    }
    return render(request, "moderation/dashboard.html", context)


# --- readers: reporting a comment ------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def report(request: HttpRequest, comment_id: int) -> HttpResponse:
    try:
        comment = comment_queries.published_comment(request.user, comment_id)
    except ServiceError as error:
        raise Http404(error.message) from error
    form = ReportForm(request.POST or None)
    template = "moderation/report.html#form" if _htmx(request) else "moderation/report.html"
    # Opened in place under the comment (htmx), the form needs no way back to the story.
    context: dict[str, Any] = {"comment": comment, "form": form, "inline": _htmx(request)}
    if request.method == "POST" and form.is_valid():
        try:
            services.report(
                request.user, comment_id, form.cleaned_data["reason"], form.cleaned_data["text"]
            )
        except ServiceError as exc:
            if exc.code == "already_reported":
                context["done"] = exc.message
                return render(request, template, context, status=200)
            form.add_error(None, exc.message)
        else:
            context["done"] = _("Thank you. A moderator will look at this comment.")
            return render(request, template, context)
    # htmx swaps only successful responses: the form with its errors comes back as 200.
    status = 400 if request.method == "POST" and not _htmx(request) else 200
    return render(request, template, context, status=status)
