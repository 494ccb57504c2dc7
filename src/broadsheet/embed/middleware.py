"""Requests from the embed's frame carry its session as `Authorization: Bearer`, not a cookie."""

from collections.abc import Callable

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers

from broadsheet.embed import bearer

# Only the stream and its actions accept the embed's session; account pages, the admin and
# the API never do.
PATHS = ("/comments/", "/embed/", "/report/", "/live/")


class EmbedSessionMiddleware:
    """Put after AuthenticationMiddleware: the bearer token decides who the reader is.

    A request with the header is the reader the token names, or a visitor when the token
    is no longer good; the session cookie is not consulted. Such a request cannot be
    forged by another site (browsers never add the header by themselves), so it needs
    no CSRF token.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(PATHS):
            return self.get_response(request)
        header = request.headers.get("Authorization", "")
        if header.startswith("Bearer "):
            user = bearer.reader_for(header.removeprefix("Bearer ").strip())
            request.user = user or AnonymousUser()
            request._dont_enforce_csrf_checks = True  # type: ignore[attr-defined]
        response = self.get_response(request)
        patch_vary_headers(response, ["Authorization"])
        return response
