"""Log-in throttling: growing delays per typed login, and a cap per client token.

Why this shape (issue 12): a lock keyed on the member told whether a username and an
e-mail address belong to one member, and let anyone lock any member out. So:

- The counter is keyed on the login **as typed** (trimmed, case-folded), the same way
  whether or not it belongs to anyone: a username and that member's e-mail address are
  two counters, and an unknown login counts exactly like a known one.
- Failures bring **delays**, not a lock: after the ``n``-th attempt in an hour the next
  one waits :func:`delay_after` ``(n)`` — nothing for the first three, then 5, 15, 30
  and at most 60 seconds. While a delay runs the answer is ``429`` with
  ``Retry-After``, without looking at the password. The right password after the
  delay logs in and clears the counter, so someone sending 5 wrong passwords every
  15 minutes cannot keep a member out for more than a minute at a time.
- A browser gets a random **client token** (cookie ``__Host-um_client``) the first time
  it fails; at most :data:`CLIENT_ATTEMPTS_ALLOWED` attempts per 15 minutes carry one
  token. No IP address is used. A client can drop the cookie and get a new one: that
  only escapes this cap, never the per-login delay.
- Counter keys are HMACs (:mod:`uglymugs.members.counter_keys`), and each attempt is
  claimed atomically by the store (a compare-and-set), so concurrent instances cannot
  both slip through while a delay runs.

>>> [delay_after(n).seconds for n in range(1, 9)]
[0, 0, 0, 5, 15, 30, 60, 60]
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from uglymugs.members.counter_keys import CounterKeys
from uglymugs.members.directory import SessionStore
from uglymugs.web.errors import ApiError, ErrorCode

LOGIN_WINDOW = timedelta(hours=1)
DELAYS_SECONDS = (0, 0, 0, 5, 15, 30, 60)  # after the 1st, 2nd, … attempt; then 60
MAX_DELAY = timedelta(seconds=DELAYS_SECONDS[-1])
CLIENT_WINDOW = timedelta(minutes=15)
CLIENT_ATTEMPTS_ALLOWED = 20
CLIENT_COOKIE_NAME = "__Host-um_client"
CLIENT_COOKIE_MAX_AGE = 30 * 24 * 3600
_CLIENT_TOKEN = re.compile(r"^[A-Za-z0-9_-]{43}$")


def delay_after(attempts: int) -> timedelta:
    """How long the attempt after the ``attempts``-th must wait (never over a minute)."""
    return timedelta(seconds=DELAYS_SECONDS[min(attempts, len(DELAYS_SECONDS)) - 1])


def new_client_token() -> str:
    return secrets.token_urlsafe(32)


def client_token_of(cookie: str | None) -> str | None:
    """The client token a request carries, if it is one we could have issued."""
    return cookie if cookie and _CLIENT_TOKEN.match(cookie) else None


def client_cookie(token: str) -> str:
    """``Set-Cookie`` for the client token: host-only, HTTPS-only, hidden from scripts."""
    return (
        f"{CLIENT_COOKIE_NAME}={token}; Path=/; Secure; HttpOnly; SameSite=Strict; "
        f"Max-Age={CLIENT_COOKIE_MAX_AGE}"
    )


def too_many_attempts(wait: timedelta, message: str) -> ApiError:
    seconds = max(1, int(wait.total_seconds() + 0.999))
    return ApiError(
        429,
        ErrorCode.TOO_MANY_ATTEMPTS,
        f"{message}; try again in {seconds} seconds",
        headers={"Retry-After": str(seconds)},
    )


@dataclass(frozen=True)
class LoginThrottle:
    """Admits log-in attempts per typed login and per client token (see the module)."""

    store: SessionStore
    keys: CounterKeys
    clock: Callable[[], datetime]

    def admit(self, login: str, client_token: str | None) -> None:
        """Claim an attempt for ``login``; :class:`ApiError` 429 while it must wait."""
        now = self.clock()
        if client_token is not None:
            client = self.store.add_hit(self.keys.key("client", client_token), CLIENT_WINDOW, now)
            if client.count > CLIENT_ATTEMPTS_ALLOWED:
                raise too_many_attempts(
                    client.window_ends - now, "too many log-in attempts from this browser"
                )
        attempt = self.store.claim_attempt(self._key(login), LOGIN_WINDOW, now, delay_after)
        if not attempt.allowed:
            raise too_many_attempts(
                attempt.next_allowed - now, "too many failed log-ins with this username or e-mail"
            )

    def succeeded(self, login: str) -> None:
        """The right password: the login's failures are forgotten."""
        self.store.clear_attempts(self._key(login), LOGIN_WINDOW, self.clock())

    def _key(self, login: str) -> str:
        return self.keys.key("login", login)
