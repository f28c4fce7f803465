"""One place where errors become JSON responses: domain errors to status codes, the rest to 500 without details."""

from __future__ import annotations

import logging
from typing import Any

from pydantic import ValidationError as PydanticValidationError
from quart import Quart, Response, jsonify
from quart_schema import RequestSchemaValidationError
from werkzeug.exceptions import HTTPException

from core import errors as domain
from core.db_errors import data_refused, database_unavailable

log = logging.getLogger(__name__)

#: Seconds a client is asked to wait while the database is away (``Retry-After`` of the 503).
DATABASE_RETRY_AFTER = 5

STATUS_BY_ERROR: tuple[tuple[type[domain.DomainError], int], ...] = (
    (domain.SlotUnavailable, 409),
    (domain.InvalidTransition, 409),
    (domain.Conflict, 409),
    (domain.ValidationError, 400),
    (domain.NotFound, 404),
    (domain.PermissionDenied, 403),
    (domain.RateLimited, 429),
    (domain.ChannelError, 502),
    (domain.ConfigurationError, 400),
)


class ApiError(Exception):
    """An HTTP-level refusal that is not a domain rule (e.g. 401 "Sign in first.")."""

    def __init__(self, status: int, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.extra = extra


def status_for(error: domain.DomainError) -> int:
    """The HTTP status code of a domain error."""
    for cls, status in STATUS_BY_ERROR:
        if isinstance(error, cls):
            return status
    return 400


def error_response(message: str, status: int, **extra: Any) -> tuple[Any, int]:
    """The JSON error body every endpoint uses: ``{"message": ..., **extra}``."""
    body = {"message": message}
    body.update({k: v for k, v in extra.items() if v is not None})
    return jsonify(body), status


def _pydantic_errors(exc: PydanticValidationError) -> list[dict[str, Any]]:
    return [
        {"path": ".".join(str(p) for p in err.get("loc", ())), "message": err.get("msg", "invalid")}
        for err in exc.errors(include_url=False)
    ]


def register_error_handlers(app: Quart) -> None:
    """Install the handlers on ``app``."""

    @app.errorhandler(ApiError)
    async def _api(error: ApiError) -> tuple[Response, int]:
        response, status = error_response(error.message, error.status, **error.extra)
        if status == 401:
            response.headers["WWW-Authenticate"] = 'Bearer realm="tobeout"'
        return response, status

    @app.errorhandler(domain.DomainError)
    async def _domain(error: domain.DomainError) -> tuple[Response, int]:
        if error.code == domain.ValidationError.code and isinstance(error, domain.ValidationError):
            # the seed's shape: {"message": "Validation error", "errors": [{"path", "message"}]}
            errors = error.details.get("errors") or [
                {"path": str(error.details.get("field", "")), "message": error.message}
            ]
            return error_response("Validation error", 400, errors=errors)
        extra = dict(error.details)
        status = status_for(error)
        if status == 400 and "errors" not in extra and error.code not in ("validation_error",):
            extra.setdefault("code", error.code)
        elif status != 400:
            extra.setdefault("code", error.code)
        response, status = error_response(error.message, status, **extra)
        if isinstance(error, domain.RateLimited) and error.retry_after is not None:
            response.headers["Retry-After"] = str(error.retry_after)
        return response, status

    @app.errorhandler(RequestSchemaValidationError)
    async def _schema(error: RequestSchemaValidationError) -> tuple[Response, int]:
        cause = error.validation_error
        if isinstance(cause, PydanticValidationError):
            errors = _pydantic_errors(cause)
        elif isinstance(cause, TypeError | ValueError):
            errors = [{"path": "", "message": "The request body must be a JSON object."}]
        else:
            errors = [{"path": "", "message": str(cause)}]
        return error_response("Validation error", 400, errors=errors)

    @app.errorhandler(HTTPException)
    async def _http(error: HTTPException) -> tuple[Response, int]:
        messages = {
            400: "The request could not be read: send valid JSON with Content-Type: application/json.",
            401: "Sign in first.",
            403: "You may not do this.",
            404: "Not found.",
            405: "This method is not allowed here.",
            413: "The request is too large.",
            415: "Send JSON with Content-Type: application/json.",
        }
        status = error.code or 500
        return error_response(messages.get(status, error.name), status)

    @app.errorhandler(Exception)
    async def _unexpected(error: Exception) -> tuple[Response, int]:
        if database_unavailable(error):
            log.warning("database unavailable: %s", error)
            response, status = error_response(
                "The database is not reachable right now; please try again in a few seconds.",
                503,
                code="database_unavailable",
            )
            response.headers["Retry-After"] = str(DATABASE_RETRY_AFTER)
            return response, status
        reason = data_refused(error)
        if reason is not None:  # a value the schema let through but the column cannot hold
            log.warning("database refused a value: %s", reason)
            return error_response("Validation error", 400, errors=[{"path": "", "message": reason}])
        log.exception("unhandled error")
        return error_response("Something went wrong on our side; please try again.", 500)
