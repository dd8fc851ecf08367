"""Member vetting: applications with every answer; approve, reject, suspend, reinstate.

The console calls the same staff actions as ``uglymugs members`` (so approving
e-mails the set-password link and suspending ends every session, exactly as there),
and records each decision with its reason in the audit trail.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from uglymugs.i18n import N_
from uglymugs.members import vocabulary
from uglymugs.members.staff import (
    MAX_REASON,
    NEEDS_REASON,
    TRANSITIONS,
    StatusChangeError,
    member_answers,
)
from uglymugs.staff.rendering import first, form_data, render
from uglymugs.staff.services import ConsoleServices
from uglymugs.staff.triage import unlocked
from uglymugs.staff.unlocked import Unlocked


def _labels() -> dict[str, str]:
    options = (
        *vocabulary.MEMBERSHIP_TYPES,
        *vocabulary.WORK_TYPES,
        *vocabulary.GENDERS,
        *vocabulary.SERVICE_USERS,
    )
    return {option.value: option.label for option in options}


def actions_for(member) -> list[str]:
    """What staff may do to ``member`` now: approve, reject, suspend or reinstate."""
    return [action for action, (allowed, _) in TRANSITIONS.items() if member.status in allowed]


def _page(request: Request, services: ConsoleServices, status: int = 200, **extra) -> Response:
    members = services.members.directory.members() if services.members else []
    order = {"pending": 0, "approved": 1, "suspended": 2, "rejected": 3}
    members.sort(key=lambda m: (order.get(m.status, 9), m.created_at))
    return render(
        request,
        "members.html",
        status,
        members=members,
        labels=_labels(),
        actions_for=actions_for,
        answers_of=member_answers,
        problems=extra.pop("problems", {}),
        **extra,
    )


@unlocked
async def members_page(request: Request, services: ConsoleServices, state: Unlocked) -> Response:
    if services.members is not None:
        shown = [member.username for member in services.members.directory.members()]
        if shown:
            services.audit("show-member", shown)
    return _page(request, services)


@unlocked
async def change(request: Request, services: ConsoleServices, state: Unlocked) -> Response:
    username, action = request.path_params["username"], request.path_params["action"]
    data = await form_data(request)
    reason = first(data, "reason")
    problem = None
    if action not in TRANSITIONS or services.members is None:
        problem = N_("That is not something staff can do to a member.")
    elif action in NEEDS_REASON and not reason:
        problem = N_("Give a reason: it is kept in the audit log.")
    elif len(reason) > MAX_REASON:
        problem = N_("A reason is at most 1,000 characters.")
    if problem is None:
        try:
            services.members.change_status(username, action)  # type: ignore[union-attr]
        except StatusChangeError as error:
            problem = str(error)
    if problem is not None:
        return _page(request, services, 422, problems={username: problem}, reason=reason)
    services.audit(action, [username], reason)
    return RedirectResponse("/members", status_code=303)


ROUTES = [
    Route("/members", members_page),
    Route("/members/{username}/{action}", change, methods=["POST"]),
]
