"""The built site served on loopback with the real security headers, for browser tests
that fake the APIs with Playwright routes."""

from __future__ import annotations

import contextlib
import functools
import re
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from uglymugs.web.security_headers import headers_for_path


class _Handler(SimpleHTTPRequestHandler):
    def end_headers(self) -> None:
        for name, value in headers_for_path(self.path.split("?")[0]).items():
            self.send_header(name, value)
        super().end_headers()

    def log_message(self, *args) -> None:  # keep the test output quiet
        pass


@contextlib.contextmanager
def serve_static(directory: Path) -> Iterator[str]:
    """Serve ``directory`` until the block ends; yields its base URL."""
    handler = functools.partial(_Handler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()


# An init script (``page.add_init_script``) that takes Web Workers away, so the page
# must do on its own thread what it would hand a worker (the fallback of older phones).
NO_WORKERS = "delete window.Worker;"

_REFRESH = re.compile(r'<meta http-equiv="refresh"[^>]*>')


def hold_still_if_moved(page, url: str, html: str) -> None:
    """If ``html`` is a moved page (a meta refresh), answer ``url`` with it minus the
    refresh, so a test that visits every page sees it as a browser that does not
    follow the refresh does, instead of being navigated away mid-check."""
    if 'http-equiv="refresh"' in html:
        still = _REFRESH.sub("", html)
        page.route(
            url,
            lambda route: route.fulfill(body=still, content_type="text/html; charset=utf-8"),
        )
