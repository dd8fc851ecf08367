"""Who may talk to the console: the launch token, the session cookie, Host and Origin.

The console decrypts reports, so it answers only the browser its own terminal opened:
the URL it prints carries a one-time launch token, exchanged at once for a session
cookie (HttpOnly, SameSite=Strict, Path=/). A request naming another Host is refused
(a DNS-rebinding page cannot reach it), and every POST must come from the console's
own origin. Every response carries the site's security headers and ``no-store``.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import PlainTextResponse, RedirectResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from uglymugs.web.security_headers import headers_for_path

COOKIE = "uglymugs_staff"
LAUNCH_PATH = "/launch"
SAFE_METHODS = {"GET", "HEAD"}


@dataclass
class Tickets:
    """The one-time launch token and the session tokens it was exchanged for."""

    launch_token: str | None = field(default_factory=lambda: secrets.token_urlsafe(32))
    sessions: set[str] = field(default_factory=set)

    def exchange(self, token: str) -> str | None:
        """A new session token for the launch token, which then no longer works."""
        if self.launch_token is None or not hmac.compare_digest(token, self.launch_token):
            return None
        self.launch_token = None
        session = secrets.token_urlsafe(32)
        self.sessions.add(session)
        return session

    def valid(self, session: str | None) -> bool:
        return bool(session) and any(hmac.compare_digest(session, s) for s in self.sessions)


def allowed_hosts(port: int) -> set[str]:
    return {f"127.0.0.1:{port}", f"localhost:{port}"}


class ConsoleGuard:
    """ASGI middleware: refuses other hosts, other origins and requests without a session."""

    def __init__(self, app: ASGIApp, tickets: Tickets, hosts: Iterable[str]) -> None:
        self.app = app
        self.tickets = tickets
        self.hosts = set(hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = self._refusal(scope)
        send = _with_headers(send, scope["path"])
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        if scope["path"] == LAUNCH_PATH:
            await self._launch(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _refusal(self, scope: Scope) -> PlainTextResponse | None:
        headers = Headers(scope=scope)
        if headers.get("host", "") not in self.hosts:
            return PlainTextResponse("Unknown host: open the address the console printed.", 421)
        if scope["method"] not in SAFE_METHODS and not _same_origin(headers):
            return PlainTextResponse("Refused: this request came from another origin.", 403)
        if scope["path"] == LAUNCH_PATH or scope["path"].startswith("/static/"):
            return None
        if not self.tickets.valid(_cookie(headers)):
            return PlainTextResponse(
                "No console session: open the address the console printed in its terminal.", 401
            )
        return None

    async def _launch(self, scope: Scope, receive: Receive, send: Send) -> None:
        token = dict(_query(scope)).get("token", "")
        session = self.tickets.exchange(token)
        if session is None:
            response = PlainTextResponse(
                "This launch address was already used or is wrong: restart `uglymugs staff`.", 403
            )
        else:
            response = RedirectResponse("/", status_code=303)
            response.set_cookie(COOKIE, session, httponly=True, samesite="strict", path="/")
        await response(scope, receive, send)


def _same_origin(headers: Headers) -> bool:
    """A POST from the console's own pages: its Origin, or (the pages send no referrer,
    so Chromium says ``Origin: null`` for their forms) the browser's own word that the
    request is same-origin. A fetch metadata header saying otherwise always refuses."""
    fetch_site = headers.get("sec-fetch-site")
    if fetch_site is not None and fetch_site != "same-origin":
        return False
    origin = headers.get("origin")
    if origin == f"http://{headers.get('host')}":
        return True
    return origin == "null" and fetch_site == "same-origin"


def _cookie(headers: Headers) -> str | None:
    for part in headers.get("cookie", "").split(";"):
        name, _, value = part.strip().partition("=")
        if name == COOKIE:
            return value
    return None


def _query(scope: Scope) -> list[tuple[str, str]]:
    from urllib.parse import parse_qsl

    return parse_qsl(scope.get("query_string", b"").decode("latin-1"))


def _with_headers(send: Send, path: str) -> Send:
    """``send`` that adds the site's security headers and ``Cache-Control: no-store``."""
    extra = {**headers_for_path(path), "Cache-Control": "no-store", "Pragma": "no-cache"}
    extra.pop("Strict-Transport-Security", None)  # plain http on loopback

    async def sending(message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = MutableHeaders(scope=message)
            for name, value in extra.items():
                headers[name] = value
        await send(message)

    return sending
