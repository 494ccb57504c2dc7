"""Friendly error pages; JSON errors for anything under /api/."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

ERRORS = {
    400: (
        gettext_lazy("Bad request"),
        gettext_lazy("The request could not be understood. Please check it and try again."),
    ),
    403: (
        gettext_lazy("Not allowed"),
        gettext_lazy("You do not have permission to see this page."),
    ),
    404: (
        gettext_lazy("Page not found"),
        gettext_lazy("There is no page at this address. It may have moved or never existed."),
    ),
    500: (
        gettext_lazy("Something went wrong"),
        gettext_lazy("An error on our side stopped this page. It has been logged."),
    ),
    503: (
        gettext_lazy("Briefly unavailable"),
        gettext_lazy(
            "Part of the site is out of reach for a moment, so this request was not completed. "
            "Please try again in a few seconds."
        ),
    ),
}


API_CODES = {
    400: "bad_request",
    403: "forbidden",
    404: "not_found",
    500: "server_error",
    503: "unavailable",
}
# How long a client should wait before trying again after a 503.
RETRY_AFTER_SECONDS = 5


def error_response(
    request: HttpRequest, status: int, detail: str | None = None, *, code: str = ""
) -> HttpResponse:
    title, message = ERRORS[status]
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": detail or message, "code": code or API_CODES[status]}, status=status
        )
    return render(
        request,
        "errors/error.html",
        {"status": status, "title": title, "message": detail or message},
        status=status,
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(request, 400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(request, 403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_response(request, 404)


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """The answer when the database connection was lost and the request could not be retried."""
    response = error_response(request, 503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    # Rendered without the request context: whatever broke may break the context too.
    title, message = ERRORS[500]
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message, "code": API_CODES[500]}, status=500)
    return render(
        None,
        "errors/error.html",
        {"status": 500, "title": title, "message": message},
        status=500,
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    detail = _(
        "Your form expired or came from another site, so it was not sent. "
        "Please go back, reload the page and try again."
    )
    return error_response(request, 403, detail)
