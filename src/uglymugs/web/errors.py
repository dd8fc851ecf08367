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
    TOKEN_INVALID = "token_invalid"  # noqa: S105 - an error code
    TOKEN_NOT_ACCEPTED = "token_not_accepted"  # noqa: S105 - an error code
    TOKENS_NOT_FOR_MEMBERSHIP = "tokens_not_for_membership"
    TOO_MANY_TOKENS = "too_many_tokens"
    SURVEY_CLOSED = "survey_closed"
    ALREADY_ANSWERED = "already_answered"
    INTERNAL_ERROR = "internal_error"


# How long a client waits before retrying after storage failed: long enough for a
# brief outage or a lock to pass, short enough that a reporter is not left waiting.
STORAGE_RETRY_AFTER_SECONDS = 5
# Exceptions raised by the storage adapters' libraries, matched by module so that
# this module imports neither (boto3 must stay out of a cold start).
_SQLITE_MODULE = "sqlite3"
_AWS_MODULES = ("botocore.", "boto3.")


class MissingRetryAfterError(ValueError):
    """A 503 built without ``Retry-After``: every 503 must say when to retry."""


class ApiError(Exception):
    """A failure to report to the client as ``{"error": {"code", "message", "field"?}}``.

    A 503 needs a ``Retry-After`` header; build it as :class:`ServiceUnavailableError`.
    """

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
        if status == 503 and "Retry-After" not in self.headers:
            raise MissingRetryAfterError("a 503 needs Retry-After: use ServiceUnavailableError")

    def as_body(self) -> dict[str, dict[str, str]]:
        error = {"code": self.code.value, "message": self.message}
        if self.field is not None:
            error["field"] = self.field
        return {"error": error}


class ServiceUnavailableError(ApiError):
    """A 503: storage could not be reached; ``Retry-After`` says when to try again."""

    def __init__(
        self,
        message: str,
        retry_after: int = STORAGE_RETRY_AFTER_SECONDS,
        code: ErrorCode = ErrorCode.STORAGE_UNAVAILABLE,
    ) -> None:
        seconds = str(max(1, retry_after))  # "retry at once" would just load us again
        super().__init__(503, code, message, headers={"Retry-After": seconds})


def is_storage_failure(error: BaseException) -> bool:
    """True for an error of the disk, SQLite or AWS: worth a retry, not a fault of ours."""
    if isinstance(error, OSError):
        return True
    return any(
        cls.__module__ == _SQLITE_MODULE or cls.__module__.startswith(_AWS_MODULES)
        for cls in type(error).__mro__
    )


def error_response(error: ApiError) -> JSONResponse:
    return JSONResponse(error.as_body(), status_code=error.status, headers=error.headers)


async def handle_api_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)  # noqa: S101 - registered for ApiError only
    return error_response(exc)


async def handle_http_exception(_request: Request, exc: Exception) -> JSONResponse:
    """Starlette's own 404/405 as JSON in our shape."""
    status = getattr(exc, "status_code", 500)
    if status == 503:
        return error_response(ServiceUnavailableError("we cannot answer just now; try again"))
    if status == 405:
        code, message = ErrorCode.METHOD_NOT_ALLOWED, "this method is not allowed here"
    elif status == 404:
        code, message = ErrorCode.NOT_FOUND, "there is nothing at this address"
    else:
        code, message = ErrorCode.INVALID_FIELD, "the request was not understood"
    return error_response(ApiError(status, code, message, headers=getattr(exc, "headers", None)))


async def handle_unexpected(_request: Request, exc: Exception) -> JSONResponse:
    """The last resort. It says nothing of the cause; the cause is logged by type only.

    Storage that failed (disk, SQLite, AWS) is a 503 with ``Retry-After``: the same
    request may well succeed in a moment, and every API's writes are safe to retry.
    """
    if is_storage_failure(exc):
        return error_response(
            ServiceUnavailableError("our storage could not be reached just now; try again")
        )
    return error_response(
        ApiError(500, ErrorCode.INTERNAL_ERROR, "something went wrong on our side; try again")
    )


EXCEPTION_HANDLERS = {
    ApiError: handle_api_error,
    HTTPException: handle_http_exception,
    Exception: handle_unexpected,
}
