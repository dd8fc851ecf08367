"""What every member route shares: its services, the logged-in member, region ids.

Handlers are ``async`` but the stores and Argon2id are not: each handler reads its
body on the event loop and runs the rest with Starlette's ``run_in_threadpool``, so a
burst of log-ins never stalls other requests (issue 12: 13 log-ins a second once held
``GET /api/reports/key`` up for 294 ms).
"""

from __future__ import annotations

from starlette.requests import Request

from uglymugs.members.directory import Member
from uglymugs.members.services import MemberServices
from uglymugs.members.sessions import COOKIE_NAME
from uglymugs.web.errors import ApiError, ErrorCode

MAX_BODY_BYTES = 16 * 1024
STATE_NAME = "member_services"


def services_of(request: Request) -> MemberServices:
    """The services :func:`uglymugs.members.api.create_member_app` put in the app's state."""
    return getattr(request.app.state, STATE_NAME)


def current_member(request: Request) -> Member:
    """The member of the request's live session (blocking: call it in the threadpool)."""
    member = services_of(request).live_sessions.member_for(request.cookies.get(COOKIE_NAME))
    if member is None:
        raise ApiError(401, ErrorCode.NOT_LOGGED_IN, "log in to do this")
    return member


def checked_regions(regions: list[str], field: str = "regions") -> tuple[str, ...]:
    """``regions`` in the list's order; 422 naming ``field`` for an id that is not one."""
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
