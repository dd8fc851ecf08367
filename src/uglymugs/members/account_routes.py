"""Account and session routes: join, set a password, reset it, log in and out, ``me``.

``POST /api/members``, ``POST /api/members/password``, ``POST
/api/members/password-reset``, ``POST``/``DELETE /api/session`` and ``GET
/api/members/me`` (``docs/api.md``). None of them tells a caller whether a username
or an e-mail address belongs to a member. Joining's rules and the e-mail templates
are imported by the routes that use them, keeping the alerts function's cold start short.
"""

from __future__ import annotations

import logging

from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from uglymugs.members.directory import Member, MemberStatus, TokenState
from uglymugs.members.login_throttle import (
    CLIENT_COOKIE_NAME,
    client_cookie,
    client_token_of,
    new_client_token,
)
from uglymugs.members.mobile_numbers import mobile_reminder_due
from uglymugs.members.passwords import MAX_LENGTH, password_problem
from uglymugs.members.request_context import MAX_BODY_BYTES, current_member, services_of
from uglymugs.members.services import MemberServices
from uglymugs.members.sessions import (
    COOKIE_NAME,
    LINK_LIFETIME,
    expired_cookie,
    issue_link,
    session_cookie,
    token_hash,
)
from uglymugs.web.errors import ApiError, ErrorCode
from uglymugs.web.json_requests import read_json

log = logging.getLogger(__name__)


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


RULES = {
    "token": "must be the token from the link in your e-mail",
    "password": f"must be a string of at most {MAX_LENGTH} characters",
    "login": "must be your username or e-mail address",
}


async def apply(request: Request) -> JSONResponse:
    from uglymugs.members.joining import JOIN_RULES, JoinRequest, join

    services = services_of(request)
    application = await read_json(request, JoinRequest, JOIN_RULES, MAX_BODY_BYTES)
    stored = await run_in_threadpool(
        join, application, services.directory, services.account_mail, services.clock
    )
    log.info("membership application received")
    if stored and services.metrics is not None:
        services.metrics.add_metric(name="MembersJoined", unit="Count", value=1)
    return JSONResponse({"status": "pending"}, status_code=202)


async def set_password(request: Request) -> Response:
    fields = await read_json(request, _PasswordRequest, RULES, MAX_BODY_BYTES)
    await run_in_threadpool(_set_password, services_of(request), fields)
    log.info("password set")
    return Response(status_code=204)


def _set_password(services: MemberServices, fields: _PasswordRequest) -> None:
    hashed = token_hash(fields.token)
    token = services.sessions.get_token(hashed)
    member = services.directory.get(token.member_id) if token else None
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
    state = services.sessions.use_token(hashed, services.clock())
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
    password_hash = services.hasher.hash(fields.password)
    services.directory.save(member.changed(services.clock(), password_hash=password_hash))
    services.sessions.delete_sessions_of(member.id)


async def reset_password(request: Request) -> JSONResponse:
    fields = await read_json(request, _ResetRequest, RULES, MAX_BODY_BYTES)
    await run_in_threadpool(_send_reset_link, services_of(request), fields.login)
    return JSONResponse({"status": "sent_if_member"}, status_code=202)


def _send_reset_link(services: MemberServices, login: str) -> None:
    """Mail an approved member a new reset link (cancelling their earlier links), at
    most once a day; anyone else gets nothing, and the caller the same answer."""
    from uglymugs.members.staff import RESET_PASSWORD

    member = services.directory.find(login)
    if member is None or member.status != MemberStatus.APPROVED:
        return
    try:
        services.account_mail.send(
            member.email,
            "password_reset",
            member.language,
            username=member.username,
            link=lambda: issue_link(
                services.sessions, member, RESET_PASSWORD, services.clock(), services.site_url
            ),
            hours=int(LINK_LIFETIME.total_seconds() // 3600),
        )
    except Exception as error:
        log.error("reset e-mail failed", extra={"error_type": type(error).__name__})


async def log_in(request: Request) -> Response:
    """A session for the right password; a browser without a client token gets one
    with any refusal (:mod:`uglymugs.members.login_throttle`)."""
    fields = await read_json(request, _LoginRequest, RULES, MAX_BODY_BYTES)
    client_token = client_token_of(request.cookies.get(CLIENT_COOKIE_NAME))
    try:
        token = await run_in_threadpool(_log_in, services_of(request), fields, client_token)
    except ApiError as error:
        if client_token is None:
            error.headers["set-cookie"] = client_cookie(new_client_token())
        raise
    log.info("logged in")
    return Response(status_code=204, headers={"set-cookie": session_cookie(token)})


def _log_in(services: MemberServices, fields: _LoginRequest, client_token: str | None) -> str:
    services.login_throttle.admit(fields.login, client_token)
    member = services.directory.find(fields.login)
    if not services.hasher.verify(member.password_hash if member else None, fields.password):
        log.info("log-in failed")
        raise ApiError(
            401, ErrorCode.LOGIN_FAILED, "that username or e-mail and password do not match"
        )
    assert member is not None  # noqa: S101 - verify() is False without a member
    services.login_throttle.succeeded(fields.login)
    if member.status != MemberStatus.APPROVED:
        raise ApiError(
            403,
            ErrorCode.ACCOUNT_NOT_ACTIVE,
            "this membership is not active just now; contact the scheme",
        )
    return services.live_sessions.start(member.id)


async def log_out(request: Request) -> Response:
    services = services_of(request)
    await run_in_threadpool(services.live_sessions.end, request.cookies.get(COOKIE_NAME))
    return Response(status_code=204, headers={"set-cookie": expired_cookie()})


async def me(request: Request) -> JSONResponse:
    member = await run_in_threadpool(current_member, request)
    return JSONResponse(_me_document(member, services_of(request)))


def _me_document(member: Member, services: MemberServices) -> dict:
    return {
        "username": member.username,
        "membership_type": member.membership_type,
        "has_mobile": member.mobile is not None,
        "preferences": member.preferences.as_document(),
        "language": member.language,
        "mobile_reminder_due": mobile_reminder_due(member, services.clock()),
    }


async def session_status(request: Request) -> JSONResponse:
    """Whether this browser's session is live, and if so whose: the member page asks this
    first, so a logged-out visit is a plain 200 rather than a 401 the browser logs as an
    error. It tells the cookie's holder only what ``/api/members/me`` would."""
    services = services_of(request)
    member = await run_in_threadpool(
        services.live_sessions.member_for, request.cookies.get(COOKIE_NAME)
    )
    if member is None:
        return JSONResponse({"signed_in": False})
    return JSONResponse({"signed_in": True, "member": _me_document(member, services)})


ROUTES = [
    Route("/api/members", apply, methods=["POST"]),
    Route("/api/members/password", set_password, methods=["POST"]),
    Route("/api/members/password-reset", reset_password, methods=["POST"]),
    Route("/api/members/me", me, methods=["GET"]),
    Route("/api/session", session_status, methods=["GET"]),
    Route("/api/session", log_in, methods=["POST"]),
    Route("/api/session", log_out, methods=["DELETE"]),
]
