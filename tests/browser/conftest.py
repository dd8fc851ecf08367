"""A real scheme for browser tests: ``uglymugs dev`` in a subprocess, Debian's Chromium.

The server runs exactly as a developer runs it (its own data directory, keys, site
build), and everything it prints is kept in a file so tests can search it. Tests that
play the APIs with Playwright routes get their module's ``built_site`` served as static
files instead (``site_url``).
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest

from tests.browser.static_server import serve_static

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSPHRASE = "browser-test-passphrase"


@dataclass(frozen=True)
class RunningScheme:
    base_url: str
    data_dir: Path
    server_log: Path
    env: dict[str, str]

    def uglymugs(self, *args: str) -> subprocess.CompletedProcess[str]:
        """Run the staff command against this scheme's data directory."""
        return subprocess.run(
            [sys.executable, "-m", "uglymugs", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_until_serving(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"uglymugs dev exited:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - loopback only
                return
        except OSError:
            time.sleep(0.25)
    raise RuntimeError(f"uglymugs dev did not start:\n{log.read_text()}")


def set_password_link(scheme: RunningScheme) -> str:
    """The fragment of the newest set-password link in the local outbox."""
    for path in sorted((scheme.data_dir / "outbox").glob("*.eml"), reverse=True):
        message = BytesParser(policy=policy.default).parsebytes(path.read_bytes())
        found = re.search(r"/members/set-password/#token=[A-Za-z0-9_-]+", message.get_content())
        if found:
            return found.group(0)
    raise AssertionError("no set-password link in the outbox")


def approve_and_log_in(scheme: RunningScheme, page, username: str, password: str) -> None:
    """Staff approve ``username``, who has just joined; the member sets ``password`` from
    the link approval mailed, then logs in. The caller waits for what it expects to see."""
    approved = scheme.uglymugs("members", "approve", username)
    assert approved.returncode == 0, approved.stderr
    page.goto(scheme.base_url + set_password_link(scheme))
    page.fill("#password", password)
    page.fill("#password-confirm", password)
    page.click("#password-submit")
    page.locator("#password-done").wait_for(state="visible")
    page.goto(scheme.base_url + "/members/")
    page.fill("#login", username)
    page.fill("#password", password)
    page.click("#login-submit")


@contextlib.contextmanager
def staff_console(
    scheme: RunningScheme, checkout: Path, log: Path, **settings: str
) -> Iterator[str]:
    """``uglymugs staff`` as Sam on ``scheme``'s data from ``checkout``; its launch URL.

    The passphrase is left out of its environment, so the console starts locked and
    asks for it; ``settings`` are further environment variables (the partner directory).
    """
    env = {
        **scheme.env,
        "UGLYMUGS_STAFF_NAME": "Sam",
        "UGLYMUGS_STAFF_CHECKOUT": str(checkout),
        **settings,
    }
    env.pop("UGLYMUGS_KEY_PASSPHRASE", None)
    port = str(_free_port())
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "uglymugs", "staff", "--port", port, "--no-browser"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while not (
            found := re.search(r"http://127\.0\.0\.1:\d+/launch\?token=\S+", log.read_text())
        ):
            assert process.poll() is None and time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        time.sleep(0.5)
        yield found.group()
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="session")
def scheme(tmp_path_factory) -> Iterator[RunningScheme]:
    root = tmp_path_factory.mktemp("scheme")
    data_dir = root / "data"
    log = root / "server.log"
    port = _free_port()
    env = {**os.environ, "UGLYMUGS_DATA_DIR": str(data_dir), "UGLYMUGS_KEY_PASSPHRASE": PASSPHRASE}
    with log.open("w") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "uglymugs", "dev", "--port", str(port)],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_serving(base_url + "/", process, log)
        yield RunningScheme(base_url, data_dir, log, env)
    finally:
        process.terminate()
        process.wait(timeout=20)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.console_problems = []
    page.on(
        "console",
        lambda message: (
            message.type in ("error", "warning") and page.console_problems.append(message.text)
        ),
    )
    page.on("pageerror", lambda error: page.console_problems.append(str(error)))
    yield page
    context.close()


@pytest.fixture
def context(browser):
    """A browser context of the test's own: pages, storage, service workers, network."""
    context = browser.new_context()
    yield context
    context.close()


@pytest.fixture(scope="module")
def site_url(built_site) -> Iterator[str]:
    """The test module's ``built_site`` (a module fixture each module defines: which
    site it builds, and how) served as static files with the real security headers."""
    with serve_static(built_site.output) as url:
        yield url
