"""A member's own data: ``GET /api/members/me/data`` and ``DELETE /api/members/me``.

Data protection law gives a member the right to a copy of everything the scheme holds
about them and to have it erased. The download is one JSON file: their directory
record (never the password hash or the join request's digest), their sessions and
one-time links (kinds and times, never token hashes) and what the notify ledger
recorded sending them. Closing the account deletes all of it at once, the rate and
attempt counters under their keyed hashes included, and ends every session
(``docs/api.md``; retention of everyone else's data: ``docs/operations.md``).
"""

from __future__ import annotations

import logging
from dataclasses import asdict
from datetime import UTC
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from uglymugs.members.account_mail import KINDS
from uglymugs.members.directory import Member, timestamp
from uglymugs.members.request_context import current_member, services_of
from uglymugs.members.services import MemberServices
from uglymugs.members.sessions import expired_cookie

log = logging.getLogger(__name__)

DOCUMENT_FORMAT = "uglymugs.member-data/1"
DOWNLOAD_NAME = "uglymugs-my-data.json"
NEVER_SHOWN = ("password_hash", "join_digest")


def member_document(services: MemberServices, member: Member) -> dict[str, Any]:
    """Everything stored about ``member``, as their download holds it."""
    record = {name: value for name, value in _as_dict(member).items() if name not in NEVER_SHOWN}
    document: dict[str, Any] = {
        "format": DOCUMENT_FORMAT,
        "exported_at": timestamp(services.clock().astimezone(UTC)),
        "member": record,
        "has_password": member.password_hash is not None,
        "sessions_and_links": services.sessions.member_records(member.id),
    }
    for name, store in services.member_records.items():
        document[name] = store.member_records(member.id)
    if services.token_store is not None:
        document["api_tokens"] = services.token_store.member_records(member.id)
    return document


def counter_keys_of(services: MemberServices, member: Member) -> list[str]:
    """Every counter key that can hold a count about ``member``: the check quota by id,
    log-in attempts by username and address, account e-mail by address and kind."""
    keys = services.counter_keys
    found = [keys.key("check", member.id)]
    found += [keys.key("login", login) for login in (member.username, member.email)]
    found += [keys.key(f"mail:{kind}", member.email) for kind in sorted(set(KINDS.values()))]
    return found


def close_account(services: MemberServices, member: Member) -> None:
    """Delete the member everywhere. Other stores and the record go before the sessions:
    a member whose closing failed halfway is still logged in and can try again."""
    for store in services.member_records.values():
        store.forget_member(member.id)
    if services.token_store is not None:
        services.token_store.forget_member(member.id)
    services.directory.remove(member.id)
    services.sessions.forget_member(member.id, counter_keys_of(services, member))


async def my_data(request: Request) -> JSONResponse:
    services = services_of(request)

    def read() -> dict[str, Any]:
        return member_document(services, current_member(request))

    document = await run_in_threadpool(read)
    disposition = f'attachment; filename="{DOWNLOAD_NAME}"'
    return JSONResponse(document, headers={"content-disposition": disposition})


async def close(request: Request) -> Response:
    services = services_of(request)

    def run() -> None:
        close_account(services, current_member(request))

    await run_in_threadpool(run)
    log.info("account closed")
    return Response(status_code=204, headers={"set-cookie": expired_cookie()})


def _as_dict(member: Member) -> dict[str, Any]:
    record = asdict(member)
    record["preferences"] = member.preferences.as_document()
    return record


ROUTES = [
    Route("/api/members/me/data", my_data, methods=["GET"]),
    Route("/api/members/me", close, methods=["DELETE"]),
]
