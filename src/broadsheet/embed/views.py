"""The embed's pages and endpoints: parse the request, call one service, render its result."""

import hashlib
import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.csp import CSP
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from broadsheet.accounts.readers import signed_in
from broadsheet.comments.stream import stream_context
from broadsheet.core.exceptions import ServiceError
from broadsheet.embed import conf, services
from broadsheet.embed.models import Site

STATIC = Path(__file__).resolve().parent / "static" / "embed"


def _error(error: ServiceError) -> JsonResponse:
    return JsonResponse({"detail": error.message, "code": error.code}, status=error.status)


def _framable_by(response: HttpResponse, site: Site | None) -> HttpResponse:
    """Only the site's own origins may frame this response; without a site, nobody may."""
    ancestors = site.origins if site else [CSP.NONE]
    # Django's CSP middleware takes a response's own policy from this attribute.
    response._csp_config = {  # type: ignore[attr-defined]
        **settings.SECURE_CSP,
        "frame-ancestors": ancestors,
    }
    response.xframe_options_exempt = True
    return response


def _script(name: str) -> HttpResponse:
    response = HttpResponse(
        (STATIC / name).read_bytes(), content_type="text/javascript; charset=utf-8"
    )
    patch_cache_control(response, public=True, max_age=300)
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


@require_GET
def loader_script(request: HttpRequest) -> HttpResponse:
    """/embed.js: what the newsroom's page loads to turn its element into the stream's frame."""
    return _script("embed.js")


@require_GET
def counts_script(request: HttpRequest) -> HttpResponse:
    """/embed/counts.js: fills in comment counts on the newsroom's front page."""
    return _script("counts.js")


@require_GET
def frame(request: HttpRequest) -> HttpResponse:
    """The comment stream of one newsroom page, as the frame shows it."""
    site = Site.objects.filter(key=request.GET.get("site", "")).first()
    if site is None:
        response = render(
            request, "embed/frame.html", {"refusal": _("This site is not registered.")}, status=404
        )
        return _framable_by(response, None)
    try:
        story = services.page_story(
            site,
            request.GET.get("id", ""),
            url=request.GET.get("url", ""),
            title=request.GET.get("title", ""),
        )
    except ServiceError as error:
        context = {"site": site, "refusal": error.message}
        return _framable_by(render(request, "embed/frame.html", context, status=error.status), site)
    context = {
        "site": site,
        "story": story,
        "stream": stream_context(request, story),
        "parent_origins": json.dumps(site.origins),
    }
    return _framable_by(render(request, "embed/frame.html", context), site)


@csrf_exempt  # the token in the body is the credential; nothing is set in a cookie
@require_POST
def session(request: HttpRequest) -> JsonResponse:
    """Exchange the newsroom's sign-in token for the embed's session token."""
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return _error(
            ServiceError(_("Send a JSON object with site and token."), code="invalid_json")
        )
    if not isinstance(body, dict) or not all(
        isinstance(body.get(field), str) for field in ("site", "token")
    ):
        return _error(
            ServiceError(_("Send a JSON object with site and token."), code="invalid_json")
        )
    try:
        site = services.site_by_key(body["site"])
        signed = services.sign_in(site, body["token"])
    except ServiceError as error:
        return _error(error)
    response = JsonResponse(
        {
            "session": signed.session_token,
            "expires_in": int(conf.session_lifetime().total_seconds()),
            "display_name": signed.user.display_name,
        }
    )
    patch_cache_control(response, no_store=True)
    return response


@require_http_methods(["GET", "POST"])
def display_name(request: HttpRequest) -> HttpResponse:
    """The display-name form inside the frame, for a reader signed in by their newsroom."""
    user = signed_in(request.user)
    if user is None:
        return HttpResponse(_("Sign in first."), status=401)
    context: dict[str, Any] = {"name": request.POST.get("display_name", "")}
    if request.method == "POST":
        try:
            services.set_display_name(user, context["name"])
        except ServiceError as error:
            context["error"] = error.message
        else:
            response = HttpResponse(status=204)
            response["HX-Trigger"] = "broadsheet:refresh"
            return response
    return render(request, "embed/display_name.html", context)


@require_GET
def counts(request: HttpRequest) -> JsonResponse:
    """Published comment counts for a list of a site's pages: ?site=KEY&id=A&id=B."""
    try:
        site = services.site_by_key(request.GET.get("site", ""))
        wanted = sorted(set(request.GET.getlist("id")))
        key = "embed:counts:" + hashlib.sha256(json.dumps([site.pk, wanted]).encode()).hexdigest()
        found = cache.get(key)
        if found is None:
            found = services.comment_counts(site, wanted)
            cache.set(key, found, conf.count_cache_seconds())
    except ServiceError as error:
        return _error(error)
    response = JsonResponse({"counts": found})
    patch_cache_control(
        response,
        public=True,
        max_age=conf.count_cache_seconds(),
        stale_while_revalidate=conf.count_cache_seconds(),
    )
    origin = request.headers.get("Origin", "")
    if origin in site.origins:
        response["Access-Control-Allow-Origin"] = origin
    patch_vary_headers(response, ["Origin"])
    return response
