"""The JSON API: one router per domain, each calling the same service functions as the pages."""

import logging

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from broadsheet.api import accounts, comments, moderation, notifications, stories, subscriptions
from broadsheet.core.exceptions import ServiceError

logger = logging.getLogger(__name__)

api = NinjaAPI(
    title="Broadsheet API",
    version="1",
    description="Stories, comment streams, the commenting gate and moderation, as JSON.",
    urls_namespace="api",
)


@api.exception_handler(ServiceError)
def service_error(request: HttpRequest, error: ServiceError) -> HttpResponse:
    return api.create_response(
        request, {"detail": error.message, "code": error.code}, status=error.status
    )


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, error: ValidationError) -> HttpResponse:
    return api.create_response(
        request,
        {"detail": "The request is not valid.", "code": "invalid", "errors": error.errors},
        status=422,
    )


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request, {"detail": "Sign in first.", "code": "sign_in_required"}, status=401
    )


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    return api.create_response(request, {"detail": str(error)}, status=error.status_code)


@api.exception_handler(Exception)
def unexpected_error(request: HttpRequest, error: Exception) -> HttpResponse:
    logger.exception("unexpected error in %s %s", request.method, request.path)
    return api.create_response(
        request,
        {"detail": "An error on our side stopped this request.", "code": "server_error"},
        status=500,
    )


@api.get("/health", tags=["operations"], summary="Is the API up?")
def health(request: HttpRequest) -> dict[str, str]:
    return {"status": "ok"}


api.add_router("/accounts", accounts.router)
api.add_router("/plans", subscriptions.router)
api.add_router("/stories", stories.router)
api.add_router("/comments", comments.router)
api.add_router("/moderation", moderation.router)
api.add_router("/notifications", notifications.router)
