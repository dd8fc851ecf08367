"""``uglymugs dev``: the whole scheme on one machine, from one process.

The built site is served as static files and the APIs under ``/api/``, all with the
same security headers a deployment sends. Uvicorn's access log is off: it would
write every visitor's IP address. A client's mistake (a ``POST /``, a ``%00`` in a
path) gets a 4xx with every header, never a 500 and a traceback.
"""

from __future__ import annotations

from collections.abc import Mapping
from mimetypes import guess_type
from pathlib import Path

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.responses import FileResponse, PlainTextResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from uglymugs.languages import BY_CODE
from uglymugs.safe_text import unsafe_characters
from uglymugs.web.security_headers import SecurityHeadersMiddleware
from uglymugs.website.precompress import ENCODINGS, compressed_copy, compressed_dir

SITE_METHODS = ("GET", "HEAD")
NOT_FOUND_PAGE = "404.html"  # in every language: /ro/404.html, …
MAX_PATH_LENGTH = 2048  # far above the site's longest address


class StaticSite:
    """The built site as static files: GET and HEAD only, 4xx for every bad request.

    Starlette's :class:`StaticFiles` raises ``HTTPException`` for a wrong method or a
    missing file and expects an exception middleware to answer it; alone, each became
    a 500 with a traceback and without the security headers.
    """

    def __init__(self, directory: Path) -> None:
        self.directory = directory.resolve()
        self.compressed = compressed_dir(self.directory)
        self.files = StaticFiles(directory=directory, html=True)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = refusal(scope) if scope["type"] == "http" else None
        if response is None and scope["type"] == "http":
            response = self.precompressed(scope) or self.not_found(scope)
        if response is None:
            try:
                await self.files(scope, receive, send)
                return
            except HTTPException as error:
                response = PlainTextResponse(
                    error.detail, status_code=error.status_code, headers=error.headers
                )
        await response(scope, receive, send)

    def not_found(self, scope: Scope) -> Response | None:
        """The 404 page in the language of the address asked for (``/ro/…`` → the
        Romanian one), as CloudFront serves it; None to let :class:`StaticFiles`
        answer (the file, a redirect to its directory, or the English ``/404.html``)."""
        path = scope["path"]
        first = path.lstrip("/").split("/", 1)[0]
        page = self.directory / first / NOT_FOUND_PAGE
        if first not in BY_CODE or not page.is_file():
            return None
        if self._file(path) or self._file(path.rstrip("/") + "/"):
            return None
        return FileResponse(page, status_code=404, media_type="text/html")

    def precompressed(self, scope: Scope) -> Response | None:
        """The build's brotli or gzip copy of the file asked for, as CloudFront sends it.

        None (serve the file as it is) when the browser accepts neither coding or the
        file has no copy (too small, not text): CloudFront compresses the same files.
        """
        wanted = Headers(scope=scope).get("accept-encoding", "")
        accepted = {part.split(";")[0].strip().lower() for part in wanted.split(",")}
        file = self._file(scope["path"])
        if file is None:
            return None
        relative = file.relative_to(self.directory)
        for coding, suffix in ENCODINGS:
            copy = compressed_copy(self.compressed / relative, suffix)
            if coding in accepted and copy.is_file():
                media_type = guess_type(file.name)[0] or "application/octet-stream"
                headers = {"Content-Encoding": coding, "Vary": "Accept-Encoding"}
                return FileResponse(copy, media_type=media_type, headers=headers)
        return None

    def _file(self, path: str) -> Path | None:
        """The site file a URL path names (``/report/`` → ``report/index.html``), if any."""
        relative = path.lstrip("/")
        if not relative or relative.endswith("/"):
            relative += "index.html"
        try:
            file = (self.directory / relative).resolve()
            if not file.is_relative_to(self.directory) or not file.is_file():
                return None
        except OSError:  # a name the file system refuses (too long, …): no such file
            return None
        return file


def refusal(scope: Scope) -> Response | None:
    """The 4xx for a request the static site cannot answer, or None to serve it."""
    if scope["method"] not in SITE_METHODS:
        allow = {"Allow": ", ".join(SITE_METHODS)}
        return PlainTextResponse("Method Not Allowed", status_code=405, headers=allow)
    path = scope["path"]
    if len(path) > MAX_PATH_LENGTH:
        return PlainTextResponse("URI Too Long", status_code=414)
    if unsafe_characters(path):
        return PlainTextResponse("Bad Request: control character in the path", status_code=400)
    return None


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
    :func:`uglymugs.cli.dev.dev_app`)."""
    site = StaticSite(site_dir)
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
