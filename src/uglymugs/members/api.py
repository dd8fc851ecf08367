"""The member API: joining, passwords, log-in sessions and the member's own settings.

Routes (documented in ``docs/api.md``): ``POST /api/members``, ``POST
/api/members/password``, ``POST /api/members/password-reset``, ``POST``/``DELETE
/api/session``, ``GET /api/members/me``, ``GET``/``PUT /api/members/me/preferences``.
Like the report API it never reads the client's address or user agent, and it logs
events, never what was sent. What only one route needs (joining's rules and phone
numbers, e-mail templates) is imported by that route, keeping the cold start short.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, ConfigDict, Field
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from uglymugs.members.directory import (
    MemberDirectory,
    MemberStatus,
    Preferences,
    SessionStore,
    TokenState,
)
from uglymugs.members.passwords import MAX_LENGTH, PasswordHasher, password_problem
from uglymugs.members.published import NotPublishedError, PublishedAlerts
from uglymugs.members.sessions import (
    COOKIE_NAME,
    LINK_LIFETIME,
    Sessions,
    expired_cookie,
    issue_link,
    session_cookie,
    token_hash,
)
from uglymugs.messaging.mailer import Mailer
from uglymugs.powertools.metrics import MetricsSink
from uglymugs.web.errors import EXCEPTION_HANDLERS, ApiError, ErrorCode
from uglymugs.web.json_requests import read_json
from uglymugs.web.security_headers import SecurityHeadersMiddleware

if TYPE_CHECKING:
    pass

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 16 * 1024
LOGIN_FAILURES_ALLOWED = 5
LOGIN_WINDOW = timedelta(minutes=15)
CHANNELS = ("email", "sms")


class _PasswordRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    token: str = Field(min_length=1, max_length=128)
    password: str = Field(min_length=1, max_length=MAX_LENGTH)


class _ResetRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    login: str = Field(min_length=1, max_length=254)


class _LoginRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    login: str = Field(min_length=1, max_length=254)
    password: str = Field(min_length=1, max_length=MAX_LENGTH)


class _CheckRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    kind: Literal["phone", "email", "plate", "username"]
    value: str = Field(min_length=1, max_length=254)


class _PreferencesRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    channels: list[Literal["email", "sms"]] = Field(max_length=2)
    regions: list[str] = Field(max_length=100)
    risks: list[Literal["high", "medium", "low"]] | None = Field(default=None, max_length=3)
    discreet_sms: bool


_RULES = {
    "token": "must be the token from the link in your e-mail",
    "password": f"must be a string of at most {MAX_LENGTH} characters",
    "login": "must be your username or e-mail address",
    "channels": 'must be a list of "email" and/or "sms" (empty: no messages)',
    "regions": "must be a list of region ids (empty: every region)",
    "risks": 'must be a list of "high", "medium" and/or "low" (empty: every risk)',
    "discreet_sms": "must be true or false",
    "kind": 'must be "phone", "email", "plate" or "username"',
    "value": "must be 1 to 254 characters",
}
CHECKS_ALLOWED = 30
CHECK_WINDOW = timedelta(minutes=10)
BUNDLE_URL_SECONDS = 300
_NOT_A = {
    "phone": "a phone number",
    "email": "an e-mail address",
    "plate": "a number plate (letters and digits)",
    "username": "a username",
}


@dataclass(frozen=True)
class MemberServices:
    """Everything the member API needs, injectable for tests."""

    directory: MemberDirectory
    sessions: SessionStore
    mailer: Mailer
    hasher: PasswordHasher
    site_url: str
    clock: Callable[[], datetime]
    published: PublishedAlerts | None = None
    metrics: MetricsSink | None = None


def create_member_app(services: MemberServices) -> Starlette:
    """The member API as an ASGI app (wrapped by Mangum on Lambda, served by ``uglymugs dev``)."""
    directory, store, clock = services.directory, services.sessions, services.clock
    sessions = Sessions(store, directory, clock)

    def current_member(request: Request):
        member = sessions.member_for(request.cookies.get(COOKIE_NAME))
        if member is None:
            raise ApiError(401, ErrorCode.NOT_LOGGED_IN, "log in to do this")
        return member

    async def apply(request: Request) -> JSONResponse:
        from uglymugs.members.joining import JOIN_RULES, JoinRequest, join

        application = await read_json(request, JoinRequest, JOIN_RULES, MAX_BODY_BYTES)
        stored = join(application, directory, services.mailer, clock)
        log.info("membership application received")
        if stored and services.metrics is not None:
            services.metrics.add_metric(name="MembersJoined", unit="Count", value=1)
        return JSONResponse({"status": "pending"}, status_code=202)

    async def set_password(request: Request) -> Response:
        fields = await read_json(request, _PasswordRequest, _RULES, MAX_BODY_BYTES)
        hashed = token_hash(fields.token)
        token = store.get_token(hashed)
        member = directory.get(token.member_id) if token else None
        if token is None or member is None:
            raise ApiError(
                422,
                ErrorCode.LINK_UNKNOWN,
                "this link is not one we sent; use the newest link in your e-mail",
                "token",
            )
        problem = password_problem(fields.password, member.username)
        if problem:
            raise ApiError(422, ErrorCode.WEAK_PASSWORD, f"password {problem}", "password")
        state = store.use_token(hashed, clock())
        if state is TokenState.EXPIRED:
            raise ApiError(
                410,
                ErrorCode.LINK_EXPIRED,
                "this link has expired; ask for a new one with 'Forgotten your password?'",
                "token",
            )
        if state is not TokenState.USED_NOW:
            raise ApiError(
                410,
                ErrorCode.LINK_USED,
                "this link was already used; ask for a new one with 'Forgotten your password?'",
                "token",
            )
        directory.save(member.changed(clock(), password_hash=services.hasher.hash(fields.password)))
        store.delete_sessions_of(member.id)
        log.info("password set")
        return Response(status_code=204)

    async def reset_password(request: Request) -> JSONResponse:
        from uglymugs.members.staff import RESET_PASSWORD
        from uglymugs.messaging.messages import send_message

        fields = await read_json(request, _ResetRequest, _RULES, MAX_BODY_BYTES)
        member = directory.find(fields.login)
        if member is not None and member.status == MemberStatus.APPROVED:
            link = issue_link(store, member, RESET_PASSWORD, clock(), services.site_url)
            try:
                send_message(
                    services.mailer,
                    member.email,
                    "password_reset",
                    username=member.username,
                    link=link,
                    hours=int(LINK_LIFETIME.total_seconds() // 3600),
                )
            except Exception as error:
                log.error("reset e-mail failed", extra={"error_type": type(error).__name__})
        return JSONResponse({"status": "sent_if_member"}, status_code=202)

    async def log_in(request: Request) -> Response:
        fields = await read_json(request, _LoginRequest, _RULES, MAX_BODY_BYTES)
        member = directory.find(fields.login)
        key = "login:" + (
            member.id
            if member
            else hashlib.sha256(fields.login.strip().casefold().encode()).hexdigest()
        )
        now = clock()
        hits = store.hits(key, LOGIN_WINDOW, now)
        if hits.count >= LOGIN_FAILURES_ALLOWED:
            raise _locked(hits.window_ends, now)
        if not services.hasher.verify(member.password_hash if member else None, fields.password):
            hits = store.add_hit(key, LOGIN_WINDOW, now)
            log.info("log-in failed")
            if hits.count >= LOGIN_FAILURES_ALLOWED:
                raise _locked(hits.window_ends, now)
            raise ApiError(
                401, ErrorCode.LOGIN_FAILED, "that username or e-mail and password do not match"
            )
        assert member is not None  # noqa: S101 - verify() is False without a member
        if member.status != MemberStatus.APPROVED:
            raise ApiError(
                403,
                ErrorCode.ACCOUNT_NOT_ACTIVE,
                "this membership is not active just now; contact the scheme",
            )
        token = sessions.start(member.id)
        log.info("logged in")
        return Response(status_code=204, headers={"set-cookie": session_cookie(token)})

    async def log_out(request: Request) -> Response:
        sessions.end(request.cookies.get(COOKIE_NAME))
        return Response(status_code=204, headers={"set-cookie": expired_cookie()})

    async def me(request: Request) -> JSONResponse:
        member = current_member(request)
        return JSONResponse(
            {
                "username": member.username,
                "membership_type": member.membership_type,
                "has_mobile": member.mobile is not None,
                "preferences": member.preferences.as_document(),
            }
        )

    async def preferences(request: Request) -> JSONResponse:
        member = current_member(request)
        if request.method == "GET":
            return JSONResponse(member.preferences.as_document())
        fields = await read_json(request, _PreferencesRequest, _RULES, MAX_BODY_BYTES)
        regions = _checked_regions(fields.regions)
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
            risks=tuple(r for r in ("high", "medium", "low") if r in (fields.risks or ())),
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
        directory.save(member.changed(clock(), preferences=chosen, failing_channels=failing))
        return JSONResponse(chosen.as_document())

    def published() -> PublishedAlerts:
        if services.published is None:
            raise _no_bundle()
        return services.published

    async def bundle(request: Request) -> Response:
        current_member(request)
        region = request.query_params.get("region") or None
        if region is not None:
            _checked_regions([region], field="region")
        alerts = published()
        presign = alerts.presign
        try:
            found = alerts.bundle(region, with_data=presign is None)
        except NotPublishedError:
            raise _no_bundle() from None
        signature = json.loads(found.signature)  # {"key_id", "signature", "signed"}
        if presign is not None:
            return JSONResponse(
                {
                    "url": presign(found.name),
                    "expires_in": BUNDLE_URL_SECONDS,
                    "signature": signature,
                }
            )
        # The browser verifies these exact bytes, so they travel base64-encoded in JSON.
        bundle = base64.b64encode(found.data or b"").decode("ascii")
        return JSONResponse({"bundle": bundle, "signature": signature})

    async def check(request: Request) -> JSONResponse:
        from uglymugs.alerts.identifiers import IdentifierError

        member = current_member(request)
        fields = await read_json(request, _CheckRequest, _RULES, MAX_BODY_BYTES)
        now = clock()
        hits = store.add_hit(f"check:{member.id}", CHECK_WINDOW, now)
        if hits.count > CHECKS_ALLOWED:
            seconds = max(1, int((hits.window_ends - now).total_seconds()))
            raise ApiError(
                429,
                ErrorCode.RATE_LIMITED,
                f"you have made {CHECKS_ALLOWED} checks in 10 minutes; try again in "
                f"{(seconds + 59) // 60} minutes",
                headers={"Retry-After": str(seconds)},
            )
        try:
            matches = published().check(fields.kind, fields.value)
        except IdentifierError:
            raise ApiError(
                422, ErrorCode.INVALID_FIELD, f"value is not {_NOT_A[fields.kind]}", "value"
            ) from None
        except NotPublishedError:
            matches = []
        return JSONResponse({"matches": matches})

    return Starlette(
        routes=[
            Route("/api/alerts/bundle", bundle, methods=["GET"]),
            Route("/api/check", check, methods=["POST"]),
            Route("/api/members", apply, methods=["POST"]),
            Route("/api/members/password", set_password, methods=["POST"]),
            Route("/api/members/password-reset", reset_password, methods=["POST"]),
            Route("/api/members/me", me, methods=["GET"]),
            Route("/api/members/me/preferences", preferences, methods=["GET", "PUT"]),
            Route("/api/session", log_in, methods=["POST"]),
            Route("/api/session", log_out, methods=["DELETE"]),
        ],
        exception_handlers=EXCEPTION_HANDLERS,
        middleware=[Middleware(SecurityHeadersMiddleware)],
    )


def _locked(window_ends: datetime, now: datetime) -> ApiError:
    seconds = max(1, int((window_ends - now).total_seconds()))
    return ApiError(
        429,
        ErrorCode.TOO_MANY_ATTEMPTS,
        f"too many failed log-ins for this account; try again in {(seconds + 59) // 60} minutes",
        headers={"Retry-After": str(seconds)},
    )


def _no_bundle() -> ApiError:
    return ApiError(404, ErrorCode.NO_BUNDLE, "no alerts are published for this scope yet")


def _checked_regions(regions: list[str], field: str = "regions") -> tuple[str, ...]:
    from uglymugs.alerts.regions import load_regions

    known = load_regions()
    for region in regions:
        if region not in known:
            raise ApiError(
                422,
                ErrorCode.INVALID_FIELD,
                f"{field} must hold only region ids from the list of police force areas",
                field,
            )
    return tuple(region for region in known if region in regions)
