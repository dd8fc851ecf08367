"""API token routes: ``GET``/``POST /api/members/me/tokens`` and ``DELETE
/api/members/me/tokens/{id}`` (``docs/api.md``), for a logged-in project or site
member; and :class:`TokensReadBundlesOnly`, which keeps every token away from every
other route.
"""

from __future__ import annotations

import logging
import unicodedata

from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from uglymugs.members.api_tokens import ApiTokens
from uglymugs.members.request_context import MAX_BODY_BYTES, current_member, services_of
from uglymugs.web.errors import ApiError, ErrorCode, error_response
from uglymugs.web.json_requests import read_json

log = logging.getLogger(__name__)

BUNDLE_PATH = "/api/alerts/bundle"
NAME_LENGTH = 60


class _NewToken(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    name: str = Field(min_length=1, max_length=NAME_LENGTH)


RULES = {"name": f"must be 1 to {NAME_LENGTH} characters, with no control characters"}


def _tokens(request: Request) -> ApiTokens:
    tokens = services_of(request).api_tokens
    if tokens is None:
        raise ApiError(404, ErrorCode.NOT_FOUND, "there is nothing at this address")
    return tokens


async def tokens(request: Request) -> JSONResponse:
    member = await run_in_threadpool(current_member, request)
    store = _tokens(request).store
    if request.method == "GET":
        listed = await run_in_threadpool(store.tokens_of, member.id)
        return JSONResponse({"tokens": [token.as_document() for token in listed]})
    fields = await read_json(request, _NewToken, RULES, MAX_BODY_BYTES)
    name = fields.name.strip()
    if not name or any(unicodedata.category(c)[0] == "C" for c in name):
        raise ApiError(422, ErrorCode.INVALID_FIELD, f"name {RULES['name']}", "name")
    issued = await run_in_threadpool(_tokens(request).issue, member, name)
    log.info("api token made")
    return JSONResponse({"token": issued.token, **issued.stored.as_document()}, status_code=201)


async def revoke(request: Request) -> Response:
    member = await run_in_threadpool(current_member, request)
    token_id = request.path_params["token_id"]
    revoked = await run_in_threadpool(_tokens(request).store.revoke, member.id, token_id)
    if not revoked:
        raise ApiError(404, ErrorCode.NOT_FOUND, "you have no API token with this id")
    log.info("api token revoked")
    return Response(status_code=204)


class TokensReadBundlesOnly:
    """Refuse (``403 token_not_accepted``) every request with an ``Authorization``
    header except ``GET /api/alerts/bundle``: a token reads bundles and nothing else,
    whatever a route would otherwise accept."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and _has_authorization(scope):
            reads_bundle = scope["method"] in ("GET", "HEAD") and scope["path"] == BUNDLE_PATH
            if not reads_bundle:
                error = ApiError(
                    403,
                    ErrorCode.TOKEN_NOT_ACCEPTED,
                    "API tokens only read the alert bundle; log in for anything else",
                )
                await error_response(error)(scope, receive, send)
                return
        await self.app(scope, receive, send)


def _has_authorization(scope: Scope) -> bool:
    return any(name.lower() == b"authorization" for name, _ in scope.get("headers", ()))


ROUTES = [
    Route("/api/members/me/tokens", tokens, methods=["GET", "POST"]),
    Route("/api/members/me/tokens/{token_id}", revoke, methods=["DELETE"]),
]
