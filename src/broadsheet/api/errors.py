"""How the API fails: always JSON `{"detail", "code"}`, and every status in the OpenAPI document.

Handlers turn each kind of failure into its answer; `BroadsheetAPI` adds to every operation
of the document the errors any operation can give (a malformed request, invalid parameters,
signing in, CSRF, an unknown object, the database briefly unreachable), so the document
lists every status the API answers with.
"""

import logging
from typing import Any

from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.db import DatabaseError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, ValidationError

from broadsheet.core.database import connection_lost
from broadsheet.core.errors import API_CODES
from broadsheet.core.exceptions import ServiceError

logger = logging.getLogger(__name__)

UNSAFE_METHODS = {"post", "put", "patch", "delete"}
# The security scheme of endpoints that refuse visitors (ninja's django_auth).
SIGNED_IN_ONLY = "SessionAuth"


class ErrorOut(Schema):
    detail: str
    code: str


class InvalidOut(ErrorOut):
    errors: list[dict[str, Any]] = []


def _documented(description: str, schema: type[Schema] = ErrorOut) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": schema.model_json_schema()}},
    }


BAD_REQUEST = _documented(
    "The request could not be read: a body that is not valid JSON or multipart, "
    "or a NUL character in the address or body (code `bad_request` or `invalid`)."
)
INVALID = _documented(
    "A parameter or a field of the body is missing or not valid; `errors` says which.",
    InvalidOut,
)
SIGN_IN = _documented("Sign in first (code `sign_in_required`).")
FORBIDDEN = _documented(
    "Not allowed: the CSRF token is missing or wrong (send it in X-CSRFToken), "
    "or the reader may not do this."
)
NOT_FOUND = _documented("There is no such object, or the reader may not see it.")
UNAVAILABLE = _documented(
    "The database was briefly unreachable and the request was not completed; "
    "try again after the Retry-After seconds (code `unavailable`)."
)


def document_common_errors(operation: dict[str, Any], method: str) -> None:
    """Add to one operation of the OpenAPI document the errors every operation can give."""
    responses = operation.setdefault("responses", {})
    parameters = operation.get("parameters", [])
    schemes = {name for requirement in operation.get("security", []) for name in requirement}
    common = {400: BAD_REQUEST, 503: UNAVAILABLE}
    if parameters or "requestBody" in operation:
        common[422] = INVALID
    if SIGNED_IN_ONLY in schemes:
        common[401] = SIGN_IN
    if schemes and method in UNSAFE_METHODS:
        common[403] = FORBIDDEN
    if any(parameter.get("in") == "path" for parameter in parameters):
        common[404] = NOT_FOUND
    for status, response in common.items():
        # ninja keys statuses as numbers; a status given as text (openapi_extra) counts too.
        if status not in responses and str(status) not in responses:
            responses[status] = response


class BroadsheetAPI(NinjaAPI):
    def get_openapi_schema(self, **kwargs: Any) -> Any:
        schema = super().get_openapi_schema(**kwargs)
        for path_item in schema["paths"].values():
            for method, operation in path_item.items():
                document_common_errors(operation, method)
        return schema


def install_error_handlers(api: NinjaAPI) -> None:
    def answer(request: HttpRequest, status: int, detail: str, code: str) -> HttpResponse:
        return api.create_response(request, {"detail": detail, "code": code}, status=status)

    @api.exception_handler(ServiceError)
    def service_error(request: HttpRequest, error: ServiceError) -> HttpResponse:
        return answer(request, error.status, error.message, error.code)

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, error: ValidationError) -> HttpResponse:
        return api.create_response(
            request,
            {"detail": _("The request is not valid."), "code": "invalid", "errors": error.errors},
            status=422,
        )

    @api.exception_handler(AuthenticationError)
    def authentication_error(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
        return answer(request, 401, _("Sign in first."), "sign_in_required")

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
        status = error.status_code
        return answer(request, status, str(error), API_CODES.get(status, "error"))

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, error: Http404) -> HttpResponse:
        return answer(request, 404, _("There is no such object."), "not_found")

    @api.exception_handler(PermissionDenied)
    def permission_denied(request: HttpRequest, error: PermissionDenied) -> HttpResponse:
        return answer(request, 403, _("You may not do this."), "forbidden")

    @api.exception_handler(MultiPartParserError)
    def unreadable_multipart(request: HttpRequest, error: MultiPartParserError) -> HttpResponse:
        detail = _("The multipart request body could not be read: %(error)s.") % {"error": error}
        return answer(request, 400, detail, "bad_request")

    @api.exception_handler(BadRequest)
    def bad_request(request: HttpRequest, error: BadRequest) -> HttpResponse:
        return answer(request, 400, _("The request could not be read."), "bad_request")

    @api.exception_handler(SuspiciousOperation)
    def suspicious(request: HttpRequest, error: SuspiciousOperation) -> HttpResponse:
        logging.getLogger(f"django.security.{error.__class__.__name__}").warning(str(error))
        return answer(request, 400, _("The request could not be read."), "bad_request")

    @api.exception_handler(DatabaseError)
    def database_error(request: HttpRequest, error: DatabaseError) -> HttpResponse:
        if connection_lost(error):
            # DatabaseLostMiddleware retries a read once on a new connection, or answers 503.
            raise error
        return unexpected_error(request, error)

    @api.exception_handler(Exception)
    def unexpected_error(request: HttpRequest, error: Exception) -> HttpResponse:
        logger.exception("unexpected error in %s %s", request.method, request.path)
        return answer(request, 500, _("An error on our side stopped this request."), "server_error")
