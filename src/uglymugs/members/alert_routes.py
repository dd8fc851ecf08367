"""Alert routes: the signed bundle and the identifier check, for logged-in members.

``GET /api/alerts/bundle[?region=ID]`` and ``POST /api/check`` (``docs/api.md``). A
check's query is used for the lookup and forgotten: never logged, never stored.
"""

from __future__ import annotations

import base64
import json
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from uglymugs.members.directory import Member
from uglymugs.members.published import NotPublishedError, PublishedAlerts
from uglymugs.members.request_context import (
    MAX_BODY_BYTES,
    checked_regions,
    current_member,
    services_of,
)
from uglymugs.members.services import MemberServices
from uglymugs.web.errors import ApiError, ErrorCode
from uglymugs.web.json_requests import read_json

BUNDLE_URL_SECONDS = 300
_NOT_A = {
    "phone": "a phone number",
    "email": "an e-mail address",
    "plate": "a number plate (letters and digits)",
    "username": "a username",
}


class _CheckRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    kind: Literal["phone", "email", "plate", "username"]
    value: str = Field(min_length=1, max_length=254)


RULES = {
    "kind": 'must be "phone", "email", "plate" or "username"',
    "value": "must be 1 to 254 characters",
}


def _no_bundle() -> ApiError:
    return ApiError(404, ErrorCode.NO_BUNDLE, "no alerts are published for this scope yet")


def _published(services: MemberServices) -> PublishedAlerts:
    if services.published is None:
        raise _no_bundle()
    return services.published


async def bundle(request: Request) -> Response:
    await run_in_threadpool(_reader, request)
    region = request.query_params.get("region") or None
    body = await run_in_threadpool(_bundle_document, services_of(request), region)
    return JSONResponse(body)


def _reader(request: Request) -> Member:
    """The member reading: by their API token when the request carries one
    (:mod:`uglymugs.members.api_tokens`), else by their session."""
    authorization = request.headers.get("authorization")
    tokens = services_of(request).api_tokens
    if authorization is None or tokens is None:
        return current_member(request)
    return tokens.reader(authorization)


def _bundle_document(services: MemberServices, region: str | None) -> dict[str, Any]:
    if region is not None:
        checked_regions([region], field="region")
    alerts = _published(services)
    presign = alerts.presign
    try:
        found = alerts.bundle(region, with_data=presign is None)
    except NotPublishedError:
        raise _no_bundle() from None
    signature = json.loads(found.signature)  # {"key_id", "signature", "signed"}
    if presign is not None:
        return {
            "url": presign(found.name),
            "expires_in": BUNDLE_URL_SECONDS,
            "signature": signature,
        }
    # The browser verifies these exact bytes, so they travel base64-encoded in JSON.
    return {"bundle": base64.b64encode(found.data or b"").decode("ascii"), "signature": signature}


async def check(request: Request) -> JSONResponse:
    member = await run_in_threadpool(current_member, request)
    fields = await read_json(request, _CheckRequest, RULES, MAX_BODY_BYTES)
    matches = await run_in_threadpool(_check, services_of(request), member, fields)
    return JSONResponse({"matches": matches})


def _check(services: MemberServices, member: Member, fields: _CheckRequest) -> list[dict]:
    """The matches; only an answered check counts against the member's quota."""
    from uglymugs.alerts.identifiers import IdentifierError

    with services.check_quota.answered(member.id):
        try:
            return _published(services).check(fields.kind, fields.value)
        except IdentifierError:
            raise ApiError(
                422, ErrorCode.INVALID_FIELD, f"value is not {_NOT_A[fields.kind]}", "value"
            ) from None
        except NotPublishedError:
            return []


ROUTES = [
    Route("/api/alerts/bundle", bundle, methods=["GET"]),
    Route("/api/check", check, methods=["POST"]),
]
