from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from broadsheet.core import health


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """200 while the database, the cache and the task queue answer; 503 naming what does not."""
    healthy, report = health.check()
    return JsonResponse(report, status=200 if healthy else 503)
