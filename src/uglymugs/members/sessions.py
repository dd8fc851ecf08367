"""Sessions and one-time links: random tokens, stored only as their SHA-256.

A session cookie holds 32 random bytes; the store holds their SHA-256, so reading the
store does not let anyone log in. A session ends after 30 minutes without a request
or 12 hours after log-in, whichever is first, when the member logs out, and at once
when staff suspend the member. Set-password and reset links use the same kind of
token, live 48 hours and work once; a member's newest link cancels every earlier one.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta

from uglymugs.members.directory import (
    Member,
    MemberDirectory,
    MemberStatus,
    OneTimeToken,
    Session,
    SessionStore,
)

COOKIE_NAME = "__Host-um_session"
IDLE_TIMEOUT = timedelta(minutes=30)
MAXIMUM_AGE = timedelta(hours=12)
LINK_LIFETIME = timedelta(hours=48)
SET_PASSWORD_PATH = "/members/set-password/"  # noqa: S105 - a page path
TOKEN_BYTES = 32


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def session_cookie(token: str) -> str:
    """The ``Set-Cookie`` value: host-only, HTTPS-only, hidden from scripts, first-party only."""
    return f"{COOKIE_NAME}={token}; Path=/; Secure; HttpOnly; SameSite=Strict"


def expired_cookie() -> str:
    return f"{COOKIE_NAME}=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0"


class Sessions:
    """Starts, resolves and ends sessions against a store, on an injectable clock."""

    def __init__(
        self, store: SessionStore, directory: MemberDirectory, clock: Callable[[], datetime]
    ) -> None:
        self.store = store
        self.directory = directory
        self.clock = clock

    def start(self, member_id: str) -> str:
        token = new_token()
        now = self.clock()
        self.store.put_session(
            Session(token_hash(token), member_id, now, now, self._expiry(now, now))
        )
        return token

    def member_for(self, token: str | None) -> Member | None:
        """The approved member a live session belongs to (and note the activity), or None."""
        if not token or len(token) > 128:
            return None
        hashed = token_hash(token)
        session = self.store.get_session(hashed)
        if session is None:
            return None
        now = self.clock()
        if now >= session.expires_at:
            self.store.delete_session(hashed)
            return None
        member = self.directory.get(session.member_id)
        if member is None or member.status != MemberStatus.APPROVED:
            self.store.delete_session(hashed)
            return None
        self.store.touch_session(hashed, now, self._expiry(session.created_at, now))
        return member

    def end(self, token: str | None) -> None:
        if token and len(token) <= 128:
            self.store.delete_session(token_hash(token))

    @staticmethod
    def _expiry(created_at: datetime, last_seen: datetime) -> datetime:
        return min(last_seen + IDLE_TIMEOUT, created_at + MAXIMUM_AGE)


def issue_link(
    store: SessionStore, member: Member, purpose: str, now: datetime, site_url: str
) -> str:
    """A new one-time link for ``member``: ``{site_url}/members/set-password/#token=…``
    (under their language's prefix, ``/pl/members/…``, for a member who chose one).

    It cancels every earlier link of the member, set-password or reset: only the newest
    e-mail holds a working link. The token is in the fragment, so it never reaches a
    server log or a Referer header.
    """
    token = new_token()
    store.delete_tokens_of(member.id)
    store.put_token(OneTimeToken(token_hash(token), member.id, purpose, now + LINK_LIFETIME))
    from uglymugs.languages import BY_CODE, SOURCE

    path = BY_CODE.get(member.language, SOURCE).path(SET_PASSWORD_PATH)
    return f"{site_url.rstrip('/')}{path}#token={token}"
