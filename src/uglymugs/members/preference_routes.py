"""The preference route: ``GET``/``PUT /api/members/me/preferences`` (``docs/api.md``).

Which channels (e-mail, SMS), regions and risks a member hears about, and whether
their SMS are discreet.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from uglymugs.members.directory import Member, Preferences
from uglymugs.members.request_context import (
    MAX_BODY_BYTES,
    checked_regions,
    current_member,
    services_of,
)
from uglymugs.members.services import MemberServices
from uglymugs.members.vocabulary import LANGUAGE_CODES, LanguageCode
from uglymugs.web.errors import ApiError, ErrorCode
from uglymugs.web.json_requests import read_json

CHANNELS = ("email", "sms")
RISKS = ("high", "medium", "low")


class _PreferencesRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    channels: list[Literal["email", "sms"]] = Field(max_length=2)
    regions: list[str] = Field(max_length=100)
    risks: list[Literal["high", "medium", "low"]] | None = Field(default=None, max_length=3)
    discreet_sms: bool
    language: LanguageCode | None = None


RULES = {
    "language": "must be one of: " + ", ".join(LANGUAGE_CODES),
    "channels": 'must be a list of "email" and/or "sms" (empty: no messages)',
    "regions": "must be a list of region ids (empty: every region)",
    "risks": 'must be a list of "high", "medium" and/or "low" (empty: every risk)',
    "discreet_sms": "must be true or false",
}


async def preferences(request: Request) -> JSONResponse:
    member = await run_in_threadpool(current_member, request)
    if request.method == "GET":
        return JSONResponse(_document(member))
    fields = await read_json(request, _PreferencesRequest, RULES, MAX_BODY_BYTES)
    saved = await run_in_threadpool(_save, services_of(request), member, fields)
    return JSONResponse(_document(saved))


def _document(member: Member) -> dict:
    """The preferences and the member's language (absent from a PUT: left as it is)."""
    return {**member.preferences.as_document(), "language": member.language}


def _save(services: MemberServices, member: Member, fields: _PreferencesRequest) -> Member:
    regions = checked_regions(fields.regions)
    if "sms" in fields.channels and member.mobile is None:
        raise ApiError(
            422,
            ErrorCode.INVALID_FIELD,
            "channels can include sms only when your membership has a mobile number",
            "channels",
        )
    chosen = Preferences(
        channels=tuple(c for c in CHANNELS if c in fields.channels),
        regions=regions,
        risks=tuple(r for r in RISKS if r in (fields.risks or ())),
        discreet_sms=fields.discreet_sms,
        chosen=True,
    )
    # Choosing a failing channel again is the member saying it works now: try it
    # again. If it still fails, the next bounce or opt-out marks it again.
    failing = {
        channel: note
        for channel, note in member.failing_channels.items()
        if channel not in chosen.channels
    }
    language = fields.language or member.language
    saved = member.changed(
        services.clock(), preferences=chosen, failing_channels=failing, language=language
    )
    services.directory.save(saved)
    return saved


ROUTES = [Route("/api/members/me/preferences", preferences, methods=["GET", "PUT"])]
