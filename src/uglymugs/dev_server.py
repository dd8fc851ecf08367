"""``uglymugs dev``: the whole scheme on one machine, from one process.

The built site is served as static files and the APIs under ``/api/``, all with the
same security headers a deployment sends. Uvicorn's access log is off: it would
write every visitor's IP address.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from uglymugs.web.security_headers import SecurityHeadersMiddleware


class PathDispatcher:
    """Send ``/api/...`` to the API apps and everything else to the static site."""

    def __init__(self, api_apps: Mapping[str, ASGIApp], site: ASGIApp) -> None:
        self.api_apps = api_apps
        self.site = site

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope.get("path", "")
        for prefix, app in self.api_apps.items():
            if path == prefix or path.startswith(prefix + "/"):
                await app(scope, receive, send)
                return
        await self.site(scope, receive, send)


def create_dev_app(report_app: ASGIApp, member_app: ASGIApp, site_dir: Path) -> ASGIApp:
    """The site in ``site_dir`` plus the report and member APIs (built by
    :func:`uglymugs.composition.dev_app`)."""
    site = StaticFiles(directory=site_dir, html=True)
    apis = {"/api/reports": report_app}
    for prefix in ("/api/members", "/api/session", "/api/alerts", "/api/check"):
        apis[prefix] = member_app
    return SecurityHeadersMiddleware(PathDispatcher(apis, site))


def serve(app: ASGIApp, host: str, port: int) -> None:
    import uvicorn

    uvicorn.run(
        app,
        host=host,
        port=port,
        access_log=False,  # an access log line holds the client's IP address
        server_header=False,
        proxy_headers=False,
        log_level="warning",
    )
