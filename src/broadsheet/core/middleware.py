import inspect
import logging
import os
import time
from collections.abc import Callable
from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from broadsheet.core.database import connection_lost
from broadsheet.core.errors import database_unavailable, error_response

logger = logging.getLogger("broadsheet.request")
# Lines read "lost: ..." under this name: the database connection was lost.
database_logger = logging.getLogger("broadsheet.database.connection")


class RequestLogMiddleware:
    """One line per request on stdout: method, path, status and duration.

    With WORKER_PID_HEADER on (tests of several worker processes), each response also
    names the process that served it in `X-Worker-Pid`.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.worker_pid = str(os.getpid()) if settings.WORKER_PID_HEADER else ""

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        elapsed_ms = (time.perf_counter() - started) * 1000
        logger.info(
            "%s %s %s %.1fms",
            request.method,
            request.get_full_path(),
            response.status_code,
            elapsed_ms,
        )
        if self.worker_pid:
            response["X-Worker-Pid"] = self.worker_pid
        return response


class RefuseNulMiddleware:
    """Refuse a request carrying a NUL character anywhere it could reach the database.

    No text field accepts one, and PostgreSQL cannot store one: without this a crafted
    URL or JSON body would fail deep inside a query instead of getting a clear 400.
    Forms need no help here: their fields already refuse NUL with a message in the form.
    """

    MESSAGE = gettext_lazy("The request contains a NUL character, which is never valid here.")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._carries_nul(request):
            return error_response(request, 400, str(self.MESSAGE), code="invalid")
        return self.get_response(request)

    @staticmethod
    def _carries_nul(request: HttpRequest) -> bool:
        if "\x00" in request.path or b"\x00" in unquote_to_bytes(
            request.META.get("QUERY_STRING", "")
        ):
            return True
        if request.content_type == "application/json":
            return b"\x00" in request.body or b"\\u0000" in request.body
        return False


class DatabaseLostMiddleware:
    """Survive a database connection the server closed in the middle of a request.

    A read (GET, HEAD) is run once more on a fresh connection; anything else, or a read
    that fails again, is answered 503 with a clear message (JSON under /api/) instead
    of a stack trace's 500. Other database errors are left to the usual 500 handling.
    """

    RETRYABLE_METHODS = frozenset({"GET", "HEAD"})

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not connection_lost(exception):
            return None
        match = request.resolver_match
        if (
            request.method not in self.RETRYABLE_METHODS
            or match is None
            or inspect.iscoroutinefunction(match.func)
        ):
            database_logger.warning("lost: %s %s answered 503", request.method, request.path)
            return database_unavailable(request)
        database_logger.warning("lost: retrying %s %s once", request.method, request.path)
        try:
            response: HttpResponse = match.func(request, *match.args, **match.kwargs)
        except Exception as again:
            if not connection_lost(again):
                raise
            database_logger.warning("lost again: %s %s answered 503", request.method, request.path)
            return database_unavailable(request)
        return response


class ApiMethodNotAllowedMiddleware:
    """A method an API address does not take gets the API's JSON error, not a bare 405."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or not request.path.startswith("/api/"):
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        allowed = response.get("Allow", "")
        answer = JsonResponse(
            {
                "detail": _("This address does not take %(method)s; it takes %(allowed)s.")
                % {"method": request.method, "allowed": allowed},
                "code": "method_not_allowed",
            },
            status=405,
        )
        answer["Allow"] = allowed
        return answer


class ServiceUnavailableMiddleware:
    """A write refused because the shared store is down gets a clear 503, not an error page.

    Views that show a form catch the refusal themselves and keep the reader's input; this
    answers for the ones that do not.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from broadsheet.core.cache import CacheUnavailableError

        if isinstance(exception, CacheUnavailableError):
            response = error_response(request, 503, exception.message, code=exception.code)
            response["Retry-After"] = "30"
            return response
        return None
