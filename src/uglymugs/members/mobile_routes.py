"""The mobile number routes: ``POST /api/members/me/mobile-confirmed`` (one tap: this is
still my number) and ``PUT /api/members/me/mobile`` (a new number, or none)
(``docs/api.md``; why: :mod:`uglymugs.members.mobile_numbers`).
"""

from __future__ import annotations

import logging

from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from uglymugs.members.directory import Member, Preferences, timestamp
from uglymugs.members.request_context import MAX_BODY_BYTES, current_member, services_of
from uglymugs.members.services import MemberServices
from uglymugs.web.errors import ApiError, ErrorCode
from uglymugs.web.json_requests import read_json

log = logging.getLogger(__name__)


class _MobileRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    mobile: str | None = Field(min_length=1, max_length=32)


RULES = {"mobile": "must be a mobile phone number, or null to remove it"}


def _document(member: Member) -> dict:
    return {
        "has_mobile": member.mobile is not None,
        "mobile_confirmed_at": member.mobile_confirmed_at,
        "preferences": member.preferences.as_document(),
    }


async def confirm(request: Request) -> JSONResponse:
    services = services_of(request)

    def run() -> Member:
        member = current_member(request)
        if member.mobile is None:
            raise ApiError(
                422, ErrorCode.INVALID_FIELD, "your membership has no mobile number", "mobile"
            )
        now = services.clock()
        confirmed = member.changed(now, mobile_confirmed_at=timestamp(now))
        services.directory.save(confirmed)
        return confirmed

    member = await run_in_threadpool(run)
    log.info("mobile number confirmed")
    return JSONResponse(_document(member))


async def change(request: Request) -> JSONResponse:
    member = await run_in_threadpool(current_member, request)
    fields = await read_json(request, _MobileRequest, RULES, MAX_BODY_BYTES)
    changed = await run_in_threadpool(_change, services_of(request), member, fields.mobile)
    log.info("mobile number changed")
    return JSONResponse(_document(changed))


def _change(services: MemberServices, member: Member, typed: str | None) -> Member:
    """A new number counts as confirmed and clears an SMS failure; no number drops SMS."""
    from uglymugs.alerts.identifiers import IdentifierError, normalise_phone

    now = services.clock()
    failing = {k: v for k, v in member.failing_channels.items() if k != "sms"}
    if typed is None:
        channels = tuple(c for c in member.preferences.channels if c != "sms")
        preferences = _with_channels(member.preferences, channels)
        changed = member.changed(
            now,
            mobile=None,
            mobile_confirmed_at=None,
            preferences=preferences,
            failing_channels=failing,
        )
    else:
        try:
            mobile = normalise_phone(typed)
        except IdentifierError:
            raise ApiError(
                422, ErrorCode.INVALID_FIELD, f"mobile {RULES['mobile']}", "mobile"
            ) from None
        changed = member.changed(
            now, mobile=mobile, mobile_confirmed_at=timestamp(now), failing_channels=failing
        )
    services.directory.save(changed)
    return changed


def _with_channels(preferences: Preferences, channels: tuple[str, ...]) -> Preferences:
    from dataclasses import replace

    return replace(preferences, channels=channels)


ROUTES = [
    Route("/api/members/me/mobile-confirmed", confirm, methods=["POST"]),
    Route("/api/members/me/mobile", change, methods=["PUT"]),
]
