from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponseBase, JsonResponse
from django.utils import translation
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET
from django.views.i18n import JavaScriptCatalog

from broadsheet.core import health


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 while the database, the cache and the task queue answer; 503 naming what does not."""
    healthy, report = health.check()
    return JsonResponse(report, status=200 if healthy else 503)


@require_GET
@cache_control(public=True, max_age=86400)
def javascript_catalog(request: HttpRequest, language: str) -> HttpResponseBase:
    """The scripts' texts in one language. The language is in the address, not taken from
    the request, so browsers and proxies may keep each language's copy for a day."""
    if language not in dict(settings.LANGUAGES):
        raise Http404
    with translation.override(language):
        return JavaScriptCatalog.as_view()(request)
