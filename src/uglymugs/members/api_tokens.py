"""API tokens: how a project's or site's own systems read the signed alert bundle.

A project or site member makes a token in the member area, names it, sees when it was
last used and revokes it. A token is ``umt_`` and 32 random bytes (URL-safe base64),
shown once; the store keeps only its SHA-256, so reading the store gives nobody a
token. A token is read-only and reads one thing: ``GET /api/alerts/bundle`` with
``Authorization: Bearer <token>`` (``docs/integration.md``). Every other route refuses
any request that carries an ``Authorization`` header
(:class:`~uglymugs.members.api_token_routes.TokensReadBundlesOnly`), so a leaked token
can never log in, check identifiers, change preferences or make more tokens.

>>> issued = tokens.issue(member, "Newsletter")  # doctest: +SKIP
>>> tokens.reader(f"Bearer {issued.token}").id == member.id  # doctest: +SKIP
True
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from uglymugs.members.counter_keys import CounterKeys
from uglymugs.members.directory import (
    ApiToken,
    ApiTokenStore,
    Member,
    MemberDirectory,
    MembershipType,
    MemberStatus,
    SessionStore,
)
from uglymugs.web.errors import ApiError, ErrorCode

PREFIX = "umt_"
TOKEN_BYTES = 32
MAX_TOKENS = 10  # per member: enough for a newsletter, a website and a spare
TOKEN_READS_ALLOWED = 60  # bundle reads per token in a fixed hour
TOKEN_WINDOW = timedelta(hours=1)
ALLOWED_TYPES = (MembershipType.PROJECT, MembershipType.SITE)
_MAX_TOKEN_LENGTH = 128


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class IssuedToken:
    """A new token: the secret (shown to the member once) and what is stored of it."""

    token: str
    stored: ApiToken


def _invalid() -> ApiError:
    return ApiError(
        401, ErrorCode.TOKEN_INVALID, "this API token is not valid: it may have been revoked"
    )


@dataclass(frozen=True)
class ApiTokens:
    """Issue, list, revoke and accept tokens, on an injectable clock."""

    store: ApiTokenStore
    directory: MemberDirectory
    counters: SessionStore
    keys: CounterKeys
    clock: Callable[[], datetime]

    def issue(self, member: Member, name: str) -> IssuedToken:
        """A new token for ``member``; 403 for an individual member, 409 past the limit."""
        if member.membership_type not in ALLOWED_TYPES:
            raise ApiError(
                403,
                ErrorCode.TOKENS_NOT_FOR_MEMBERSHIP,
                "API tokens are for project and site members",
            )
        if len(self.store.tokens_of(member.id)) >= MAX_TOKENS:
            raise ApiError(
                409,
                ErrorCode.TOO_MANY_TOKENS,
                f"you have {MAX_TOKENS} API tokens; revoke one before making another",
            )
        token = PREFIX + secrets.token_urlsafe(TOKEN_BYTES)
        stored = ApiToken(
            id=secrets.token_hex(8),
            token_hash=token_hash(token),
            member_id=member.id,
            name=name,
            created_at=self.clock(),
        )
        self.store.add_token(stored)
        return IssuedToken(token, stored)

    def reader(self, authorization: str) -> Member:
        """The member whose live token is in ``authorization`` (``Bearer <token>``);
        401 ``token_invalid`` otherwise, 429 past the token's hourly reads."""
        scheme, _, token = authorization.strip().partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token.startswith(PREFIX):
            raise _invalid()
        if len(token) > _MAX_TOKEN_LENGTH:
            raise _invalid()
        hashed = token_hash(token)
        stored = self.store.token(hashed)
        member = self.directory.get(stored.member_id) if stored else None
        if stored is None or member is None or member.status != MemberStatus.APPROVED:
            raise _invalid()
        self._count_read(hashed)
        self.store.mark_used(hashed, self.clock())
        return member

    def _count_read(self, hashed: str) -> None:
        now = self.clock()
        hits = self.counters.add_hit(self.keys.key("api-token", hashed), TOKEN_WINDOW, now)
        if hits.count > TOKEN_READS_ALLOWED:
            seconds = max(1, int((hits.window_ends - now).total_seconds()))
            raise ApiError(
                429,
                ErrorCode.RATE_LIMITED,
                f"this token has read the bundle {TOKEN_READS_ALLOWED} times this hour",
                headers={"Retry-After": str(seconds)},
            )
