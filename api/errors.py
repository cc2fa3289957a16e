"""Every refusal as ``{"detail": ..., "errors": {field: [messages]}}`` with its status:
400 a value the domain refused, 401, 403, 404 (also a ticket one may not see),
409 a stale version, 413 too large, 422 a request that does not fit the schema,
429 over the rate limit (with Retry-After)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import (
    ObjectDoesNotExist,
    PermissionDenied,
    RequestDataTooBig,
    TooManyFieldsSent,
    ValidationError,
)
from django.db.models import ProtectedError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaError

from accounts.tokens import RateLimited
from tickets.actions import AlreadyAssigned, Conflict

#: The statuses every operation may answer with besides its own (OpenAPI).
REFUSALS = frozenset({400, 401, 403, 404, 409, 413, 422, 429})


class TooLarge(Exception):
    """A file above the help desk's attachment limit."""


class Mismatch(Exception):
    """An Idempotency-Key used before for another request."""


def body(detail: str, errors: dict[str, list[str]] | None = None) -> dict[str, Any]:
    return {"detail": detail, "errors": errors or {}}


def field_errors(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {field: [str(m) for m in messages] for field, messages in error.message_dict.items()}
    return {"__all__": [str(message) for message in error.messages]}


def _schema_errors(error: SchemaError) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for item in error.errors:
        # ("body", "payload", "title") -> "title": the field as the client named it.
        location = [str(part) for part in item.get("loc", ()) if part not in ("body", "payload")]
        field = ".".join(location[1:] if location[:1] == ["query"] else location) or "__all__"
        found.setdefault(field, []).append(str(item.get("msg", "invalid")))
    return found


def install(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, status: int, content: dict[str, Any]) -> HttpResponse:
        return api.create_response(request, content, status=status)

    @api.exception_handler(SchemaError)
    def schema_error(request: HttpRequest, error: SchemaError) -> HttpResponse:
        return respond(request, 422, body("The request is not valid.", _schema_errors(error)))

    @api.exception_handler(ValidationError)
    def refused_value(request: HttpRequest, error: ValidationError) -> HttpResponse:
        errors = field_errors(error)
        first = next(iter(errors.values()), ["The request is not valid."])
        return respond(request, 400, body(first[0], errors))

    @api.exception_handler(AuthenticationError)
    def no_token(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
        response = respond(request, 401, body("A valid API token is needed (Bearer)."))
        response["WWW-Authenticate"] = 'Bearer realm="frontdesk"'
        return response

    @api.exception_handler(PermissionDenied)
    def refused(request: HttpRequest, error: PermissionDenied) -> HttpResponse:
        return respond(request, 403, body(str(error) or "You may not do this."))

    @api.exception_handler(ObjectDoesNotExist)
    def missing(request: HttpRequest, error: ObjectDoesNotExist) -> HttpResponse:
        return respond(request, 404, body("Not found."))

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, error: Http404) -> HttpResponse:
        return respond(request, 404, body("Not found."))

    @api.exception_handler(Conflict)
    def conflict(request: HttpRequest, error: Conflict) -> HttpResponse:
        response = respond(request, 409, body(str(error)))
        response["ETag"] = f'"{error.ticket.version}"'
        return response

    @api.exception_handler(AlreadyAssigned)
    def taken(request: HttpRequest, error: AlreadyAssigned) -> HttpResponse:
        return respond(request, 409, body(str(error)))

    @api.exception_handler(ProtectedError)
    def still_used(request: HttpRequest, error: ProtectedError) -> HttpResponse:
        return respond(request, 409, body("Other records still refer to this one."))

    @api.exception_handler(Mismatch)
    def mismatch(request: HttpRequest, error: Mismatch) -> HttpResponse:
        return respond(request, 422, body(str(error), {"Idempotency-Key": [str(error)]}))

    @api.exception_handler(TooLarge)
    def too_large(request: HttpRequest, error: TooLarge) -> HttpResponse:
        return respond(request, 413, body(str(error), {"attachments": [str(error)]}))

    @api.exception_handler(RequestDataTooBig)
    def request_too_large(request: HttpRequest, error: RequestDataTooBig) -> HttpResponse:
        return respond(request, 413, body("The request is larger than the server accepts."))

    @api.exception_handler(TooManyFieldsSent)
    def too_many_fields(request: HttpRequest, error: TooManyFieldsSent) -> HttpResponse:
        return respond(request, 400, body("The request has too many fields."))

    @api.exception_handler(RateLimited)
    def rate_limited(request: HttpRequest, error: RateLimited) -> HttpResponse:
        response = respond(request, 429, body(str(error)))
        response["Retry-After"] = str(error.retry_after)
        return response

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
        return respond(request, error.status_code, body(str(error)))
