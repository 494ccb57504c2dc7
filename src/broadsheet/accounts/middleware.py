"""A signed-in reader's saved language follows them to every browser they sign in on."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation


class ReaderLanguageMiddleware:
    """Use the reader's saved language unless this browser chose one with the picker.

    LocaleMiddleware (before this) has already picked the cookie's language, else the
    browser's Accept-Language; the cookie is the choice made here and now, so it wins.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "language", "") in dict(settings.LANGUAGES)
            and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES
        ):
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)
