"""JSON error responses: every failure a client can cause gets a 4xx naming the rule.

Errors never echo what the client sent: a value in an error message could be a piece
of a report or an identifier, and error bodies end up in browser consoles and logs.
"""

from __future__ import annotations

from enum import StrEnum

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse


class ErrorCode(StrEnum):
    """Every ``error.code`` an API returns; ``docs/api.md`` documents each one."""

    INVALID_JSON = "invalid_json"
    MISSING_FIELD = "missing_field"
    INVALID_FIELD = "invalid_field"
    UNKNOWN_FIELD = "unknown_field"
    UNKNOWN_KEY = "unknown_key"
    NOT_BASE64 = "not_base64"
    TOO_SHORT = "too_short"
    TOO_LARGE = "too_large"
    UNSUPPORTED_MEDIA_TYPE = "unsupported_media_type"
    IDEMPOTENCY_KEY_REUSED = "idempotency_key_reused"
    NOT_FOUND = "not_found"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    STORAGE_UNAVAILABLE = "storage_unavailable"
    NOT_LOGGED_IN = "not_logged_in"
    LOGIN_FAILED = "login_failed"
    ACCOUNT_NOT_ACTIVE = "account_not_active"
    TOO_MANY_ATTEMPTS = "too_many_attempts"
    LINK_UNKNOWN = "link_unknown"
    LINK_EXPIRED = "link_expired"
    LINK_USED = "link_used"
    NO_BUNDLE = "no_bundle"
    RATE_LIMITED = "rate_limited"
    WEAK_PASSWORD = "weak_password"  # noqa: S105 - an error code
    INTERNAL_ERROR = "internal_error"


class ApiError(Exception):
    """A failure to report to the client as ``{"error": {"code", "message", "field"?}}``."""

    def __init__(
        self,
        status: int,
        code: ErrorCode,
        message: str,
        field: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.headers = headers or {}

    def as_body(self) -> dict[str, dict[str, str]]:
        error = {"code": self.code.value, "message": self.message}
        if self.field is not None:
            error["field"] = self.field
        return {"error": error}


def error_response(error: ApiError) -> JSONResponse:
    return JSONResponse(error.as_body(), status_code=error.status, headers=error.headers)


async def handle_api_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)  # noqa: S101 - registered for ApiError only
    return error_response(exc)


async def handle_http_exception(_request: Request, exc: Exception) -> JSONResponse:
    """Starlette's own 404/405 as JSON in our shape."""
    status = getattr(exc, "status_code", 500)
    if status == 405:
        code, message = ErrorCode.METHOD_NOT_ALLOWED, "this method is not allowed here"
    elif status == 404:
        code, message = ErrorCode.NOT_FOUND, "there is nothing at this address"
    else:
        code, message = ErrorCode.INVALID_FIELD, "the request was not understood"
    return error_response(ApiError(status, code, message, headers=getattr(exc, "headers", None)))


async def handle_unexpected(_request: Request, _exc: Exception) -> JSONResponse:
    """The last resort. It says nothing of the cause; the cause is logged by type only."""
    return error_response(
        ApiError(500, ErrorCode.INTERNAL_ERROR, "something went wrong on our side; try again")
    )


EXCEPTION_HANDLERS = {
    ApiError: handle_api_error,
    HTTPException: handle_http_exception,
    Exception: handle_unexpected,
}
