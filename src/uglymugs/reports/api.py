"""The report API: ``GET /api/reports/key`` and ``POST /api/reports``.

It sees only ciphertext. It never reads the client address, the user agent or any
header beyond Content-Type and Content-Length, and it logs events, never data.
"""

from __future__ import annotations

import logging
from typing import Protocol

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from uglymugs.powertools.metrics import MetricsSink
from uglymugs.reports.intake import IdempotencyConflictError, Receipt
from uglymugs.reports.keyring import ReportKeyRing
from uglymugs.reports.powertools_idempotency import (
    ReportInProgressError,
)
from uglymugs.reports.submission import (
    MAX_BODY_BYTES,
    Submission,
    parse_submission,
    too_large_error,
)
from uglymugs.web.errors import (
    EXCEPTION_HANDLERS,
    ApiError,
    ErrorCode,
    ServiceUnavailableError,
)
from uglymugs.web.security_headers import SecurityHeadersMiddleware

log = logging.getLogger(__name__)

JSON_MEDIA_TYPE = "application/json"
IN_PROGRESS_RETRY_AFTER_SECONDS = 2  # the first attempt's write takes milliseconds


class Intake(Protocol):
    """:class:`ReportIntake`, or the same behind Powertools Idempotency on AWS."""

    def accept(self, submission: Submission) -> Receipt: ...


def create_report_app(
    intake: Intake, keyring: ReportKeyRing, metrics: MetricsSink | None = None
) -> Starlette:
    """The ASGI app; the Lambda entry point wraps it with Mangum, ``uglymugs dev`` serves it."""

    async def current_key(_request: Request) -> JSONResponse:
        return JSONResponse(keyring.current_key_document())

    async def submit_report(request: Request) -> JSONResponse:
        _require_json(request)
        body = await _read_body(request)
        submission = parse_submission(body, keyring.public_keys)
        try:
            # Storing blocks (S3, DynamoDB, files): off the event loop, so other
            # requests are answered meanwhile.
            receipt = await run_in_threadpool(intake.accept, submission)
        except IdempotencyConflictError:
            raise ApiError(
                409,
                ErrorCode.IDEMPOTENCY_KEY_REUSED,
                "this idempotency key was used for a different report; use a new key",
                "idempotency_key",
            ) from None
        except ReportInProgressError:
            log.info("report still in progress")
            raise ServiceUnavailableError(
                "your report is still being stored; please send it again in a moment",
                retry_after=IN_PROGRESS_RETRY_AFTER_SECONDS,
            ) from None
        except Exception as error:
            log.error("report storage failed", extra={"error_type": type(error).__name__})
            raise ServiceUnavailableError(
                "we could not store your report just now; please send it again"
            ) from None
        log.info("report stored", extra={"replayed": receipt.replayed, "bytes": len(body)})
        if metrics is not None and not receipt.replayed:
            metrics.add_metric(name="ReportsReceived", unit="Count", value=1)
        return JSONResponse({"report_number": receipt.report_number}, status_code=201)

    return Starlette(
        routes=[
            Route("/api/reports/key", current_key, methods=["GET"]),
            Route("/api/reports", submit_report, methods=["POST"]),
        ],
        exception_handlers=EXCEPTION_HANDLERS,
        middleware=[Middleware(SecurityHeadersMiddleware)],
    )


def _require_json(request: Request) -> None:
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != JSON_MEDIA_TYPE:
        raise ApiError(
            415,
            ErrorCode.UNSUPPORTED_MEDIA_TYPE,
            f"send the report as {JSON_MEDIA_TYPE}",
            "content-type",
        )


async def _read_body(request: Request) -> bytes:
    """The body, refusing early (413) once it is over the limit, declared or not."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise too_large_error()
    chunks: list[bytes] = []
    size = 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > MAX_BODY_BYTES:
                raise too_large_error()
            chunks.append(chunk)
    except ClientDisconnect:
        raise ApiError(400, ErrorCode.INVALID_JSON, "the request ended early") from None
    return b"".join(chunks)
