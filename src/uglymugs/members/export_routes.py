"""``POST /api/alerts/docx`` and ``POST /api/alerts/text``: the alerts a member selected,
as a Word document or as plain text to copy, in their language (``docs/api.md``; how
and why: :mod:`uglymugs.members.word_export`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from uglymugs.alerts.numbering import NUMBER_PATTERN
from uglymugs.members.directory import Member
from uglymugs.members.published import NotPublishedError
from uglymugs.members.request_context import MAX_BODY_BYTES, current_member, services_of
from uglymugs.members.services import MemberServices
from uglymugs.members.word_export import (
    DOCX_TYPE,
    DOWNLOAD_NAME,
    MAX_ALERTS,
    plain_text,
    word_document,
)
from uglymugs.web.errors import ApiError, ErrorCode
from uglymugs.web.json_requests import read_json

log = logging.getLogger(__name__)


class _ExportRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    numbers: list[str] = Field(min_length=1, max_length=MAX_ALERTS)


RULES = {"numbers": f"must be a list of 1 to {MAX_ALERTS} numbers of current alerts"}


def _refused() -> ApiError:
    return ApiError(422, ErrorCode.INVALID_FIELD, f"numbers {RULES['numbers']}", "numbers")


async def docx(request: Request) -> Response:
    member = await run_in_threadpool(current_member, request)
    fields = await read_json(request, _ExportRequest, RULES, MAX_BODY_BYTES)
    data = await run_in_threadpool(
        _document, services_of(request), member, fields.numbers, word_document
    )
    log.info("alerts downloaded as a word document")
    disposition = f'attachment; filename="{DOWNLOAD_NAME}"'
    return Response(data, media_type=DOCX_TYPE, headers={"content-disposition": disposition})


async def text(request: Request) -> Response:
    member = await run_in_threadpool(current_member, request)
    fields = await read_json(request, _ExportRequest, RULES, MAX_BODY_BYTES)
    words = await run_in_threadpool(
        _document, services_of(request), member, fields.numbers, plain_text
    )
    return PlainTextResponse(words)


def _document(
    services: MemberServices, member: Member, numbers: list[str], render: Callable[..., Any]
) -> Any:
    if any(not NUMBER_PATTERN.match(number) for number in numbers) or len(set(numbers)) != len(
        numbers
    ):
        raise _refused()
    if services.published is None or services.alert_labels is None:
        raise ApiError(404, ErrorCode.NO_BUNDLE, "no alerts are published yet")
    try:
        bundle = services.published.bundle(None)
    except NotPublishedError:
        raise ApiError(404, ErrorCode.NO_BUNDLE, "no alerts are published yet") from None
    current: dict[str, dict[str, Any]] = {
        str(alert.get("number")): alert for alert in json.loads(bundle.data or b"{}")["alerts"]
    }
    if any(number not in current for number in numbers):
        raise _refused()
    from uglymugs.languages import BY_CODE, SOURCE

    language = BY_CODE.get(member.language, SOURCE)
    labels = services.alert_labels(language.code)
    return render([current[number] for number in numbers], labels, language.tag)


ROUTES = [
    Route("/api/alerts/docx", docx, methods=["POST"]),
    Route("/api/alerts/text", text, methods=["POST"]),
]
