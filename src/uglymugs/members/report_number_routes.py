"""``POST /api/members/me/report-number``: e-mail a logged-in member a report number.

A report is sent without the member's session (the report form omits credentials),
so the scheme cannot tell whose report it is. Only when a member asks does the member
area send the number here, with their session: this route sends one e-mail through
the account-mail limits (three a day per address, the scheme's hourly cap) and keeps
nothing — no record of the number, nothing in the logs but "sent" or "not sent".
The number is not looked up either: whether such a report exists is not this API's
business, and looking would tie the two together in the vault's access pattern.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from uglymugs.members.directory import Member
from uglymugs.members.request_context import MAX_BODY_BYTES, current_member, services_of
from uglymugs.members.services import MemberServices
from uglymugs.reports.numbers import ReportNumberError, normalise
from uglymugs.web.errors import ApiError, ErrorCode
from uglymugs.web.json_requests import read_json

# The per-address allowance is counted by UTC day: try again within a day at most.
RETRY_AFTER_SECONDS = 24 * 3600


class _NumberRequest(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    report_number: str = Field(min_length=1, max_length=64)


RULES = {"report_number": "must be a report number like UM-7K3F-92QH-X4PM"}


async def mail_report_number(request: Request) -> Response:
    member = await run_in_threadpool(current_member, request)
    fields = await read_json(request, _NumberRequest, RULES, MAX_BODY_BYTES)
    try:
        number = normalise(fields.report_number)
    except ReportNumberError:
        raise ApiError(
            422,
            ErrorCode.INVALID_FIELD,
            f"report_number {RULES['report_number']}",
            "report_number",
        ) from None
    sent = await run_in_threadpool(_send, services_of(request), member, number)
    if not sent:
        raise ApiError(
            429,
            ErrorCode.RATE_LIMITED,
            "no more report numbers can be e-mailed to this membership just now; "
            "write the number down instead",
            headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
        )
    return Response(status_code=204)


def _send(services: MemberServices, member: Member, number: str) -> bool:
    return services.account_mail.send(
        member.email, "report_number", username=member.username, report_number=number
    )


ROUTES = [Route("/api/members/me/report-number", mail_report_number, methods=["POST"])]
