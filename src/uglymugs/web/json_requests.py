"""Reading a JSON request into a strict pydantic model, with a 4xx naming the field.

The same rules as the report API (:mod:`uglymugs.reports.submission`) for every other
API: ``application/json`` only, a size limit, an object with exactly the documented
fields. Messages say which rule a field breaks and never repeat the value sent.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TypeVar

from pydantic import BaseModel, ValidationError
from starlette.requests import ClientDisconnect, Request

from uglymugs.web.errors import ApiError, ErrorCode

JSON_MEDIA_TYPE = "application/json"
Model = TypeVar("Model", bound=BaseModel)


async def read_json(
    request: Request, model: type[Model], rules: Mapping[str, str], limit: int
) -> Model:
    """The body of ``request`` as ``model``; :class:`ApiError` for the first broken rule."""
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type != JSON_MEDIA_TYPE:
        raise ApiError(
            415, ErrorCode.UNSUPPORTED_MEDIA_TYPE, f"send {JSON_MEDIA_TYPE}", "content-type"
        )
    body = await _read_limited(request, limit)
    try:
        value = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise ApiError(400, ErrorCode.INVALID_JSON, "the body is not valid JSON") from None
    if not isinstance(value, dict):
        raise ApiError(400, ErrorCode.INVALID_JSON, "the body must be a JSON object")
    try:
        return model.model_validate(value)
    except ValidationError as error:
        raise first_problem(error, model, rules) from None


def first_problem(
    error: ValidationError, model: type[BaseModel], rules: Mapping[str, str]
) -> ApiError:
    problem = error.errors(include_url=False, include_input=False)[0]
    location = [part for part in problem["loc"] if isinstance(part, str)]
    field = ".".join(location) or None
    if problem["type"] == "missing":
        return ApiError(422, ErrorCode.MISSING_FIELD, f"{field} is required", field)
    if problem["type"] == "extra_forbidden":
        allowed = ", ".join(model.model_fields)
        return ApiError(
            422, ErrorCode.UNKNOWN_FIELD, f"{field} is not a field; the fields are {allowed}", field
        )
    rule = rules.get(field or "", rules.get(location[0] if location else "", "is not valid"))
    return ApiError(422, ErrorCode.INVALID_FIELD, f"{field} {rule}", field)


def too_large(limit: int) -> ApiError:
    return ApiError(413, ErrorCode.TOO_LARGE, f"the request is larger than {limit} bytes")


async def _read_limited(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        raise too_large(limit)
    chunks: list[bytes] = []
    size = 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                raise too_large(limit)
            chunks.append(chunk)
    except ClientDisconnect:
        raise ApiError(400, ErrorCode.INVALID_JSON, "the request ended early") from None
    return b"".join(chunks)
