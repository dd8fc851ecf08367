"""The security headers, defined once for ``uglymugs dev`` and the AWS template.

The Content-Security-Policy allows nothing from another origin and no inline script
or style. WebAssembly (libsodium) is allowed only on the paths that encrypt or
verify something, so a bug elsewhere cannot use it. CloudFront attaches a response
headers policy per path pattern, so the exceptions are path patterns here too.
"""

from __future__ import annotations

from collections.abc import Mapping
from fnmatch import fnmatchcase

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from uglymugs.languages import in_every_language

CSP_DIRECTIVES: Mapping[str, str] = {
    "default-src": "'none'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self'",
    "connect-src": "'self'",
    "font-src": "'self'",
    "manifest-src": "'self'",
    "worker-src": "'self'",
    "form-action": "'self'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
}

# Paths whose pages load libsodium (WebAssembly) and so need 'wasm-unsafe-eval': the
# report form and the police partner form at /partners/submit/ (sealing; one pattern
# for /partners/, as CloudFront allows few behaviours) and the member area itself
# (verifying alert bundles), but not the other member pages under /members/; in
# English and under each language's prefix.
WASM_PATH_PATTERNS: tuple[str, ...] = in_every_language(
    (
        "/report/*",
        "/partners/*",
        "/members/",
        "/members/index.html",
    )
)

# Paths answered by the APIs: JSON only, never cached, never framed.
API_PATH_PATTERNS: tuple[str, ...] = ("/api/*",)

COMMON_HEADERS: Mapping[str, str] = {
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": (
        "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()"
    ),
}


def content_security_policy(*, wasm: bool = False, api: bool = False) -> str:
    """The CSP for a page (with or without WebAssembly) or an API response."""
    if api:
        return "default-src 'none'; frame-ancestors 'none'"
    directives = dict(CSP_DIRECTIVES)
    if wasm:
        directives["script-src"] += " 'wasm-unsafe-eval'"
        # The member area verifies bundles, and the report form seals reports, in a
        # worker started from the SRI-checked bytes of sodium.js (sodium-worker.mjs):
        # a blob: URL, made by the page.
        directives["worker-src"] += " blob:"
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def _matches(path: str, patterns: tuple[str, ...]) -> bool:
    return any(fnmatchcase(path, pattern) for pattern in patterns)


def headers_for_path(path: str) -> dict[str, str]:
    """Every security header a response to ``path`` carries."""
    headers = dict(COMMON_HEADERS)
    if _matches(path, API_PATH_PATTERNS):
        headers["Content-Security-Policy"] = content_security_policy(api=True)
        headers["Cache-Control"] = "no-store"
    else:
        wasm = _matches(path, WASM_PATH_PATTERNS)
        headers["Content-Security-Policy"] = content_security_policy(wasm=wasm)
    return headers


class SecurityHeadersMiddleware:
    """ASGI middleware that sets :func:`headers_for_path` on every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = headers_for_path(scope["path"])

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in extra.items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)
