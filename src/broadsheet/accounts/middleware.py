"""A signed-in reader's saved language follows them to every browser they sign in on."""

from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from broadsheet.core.database import connection_lost
from broadsheet.core.errors import database_unavailable
from broadsheet.core.middleware import DatabaseLostMiddleware


class ReaderLanguageMiddleware:
    """Use the reader's saved language unless this browser chose one with the picker.

    LocaleMiddleware (before this) has already picked the cookie's language, else the
    browser's Accept-Language; the cookie is the choice made here and now, so it wins.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.LANGUAGE_COOKIE_NAME in request.COOKIES:
            return self.get_response(request)
        user = getattr(request, "user", None)
        try:
            signed_in = user is not None and user.is_authenticated
        except DatabaseError as error:
            # Reading the reader is this request's first query, before the view, where
            # DatabaseLostMiddleware would answer: answer as it does. A read goes on (the
            # lost connection is closed, and the view opens a new one); a write gets 503.
            if not connection_lost(error):
                raise
            if request.method in DatabaseLostMiddleware.RETRYABLE_METHODS:
                return self.get_response(request)
            return database_unavailable(request)
        language = getattr(user, "language", "")
        if signed_in and language in dict(settings.LANGUAGES):
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
