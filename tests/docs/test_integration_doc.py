"""docs/integration.md stays true: its Python and JavaScript snippets, exactly as the
page shows them, fetch a bundle with an API token from ``uglymugs dev``'s app and
verify it; a revoked token gets 401."""

from __future__ import annotations

import base64
import os
import re
import shutil
import socket
import subprocess
import threading
import time
import urllib.error
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.members.factories import a_member
from tests.members.test_published_alerts import KEY, KEY_ID, publish_examples
from uglymugs import composition
from uglymugs.cli.dev import dev_app
from uglymugs.config import Settings
from uglymugs.crypto import TEST_KDF, create_keys

DOC = Path(__file__).resolve().parents[2] / "docs" / "integration.md"


def snippet(language: str) -> str:
    (found,) = re.findall(rf"```{language}\n(.*?)```", DOC.read_text(), re.DOTALL)
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def dev_server(tmp_path, monkeypatch) -> Iterator[tuple[str, Settings]]:
    """``uglymugs dev``'s app (local adapters) on a free port, with the examples published."""
    import uvicorn

    for name in ("UGLYMUGS_MEMBERS_TABLE", "UGLYMUGS_SESSIONS_TABLE", "UGLYMUGS_BUNDLE_BUCKET"):
        monkeypatch.delenv(name, raising=False)
    create_keys(tmp_path / "data" / "keys", "dev", kdf=TEST_KDF)
    verify_keys = f'{{"{KEY_ID}": "{base64.b64encode(bytes(KEY.verify_key)).decode()}"}}'
    settings = Settings.from_environ(
        {
            "UGLYMUGS_DATA_DIR": str(tmp_path / "data"),
            "UGLYMUGS_REPORT_KEYRING": "",
            "UGLYMUGS_BUNDLE_VERIFY_KEYS": verify_keys,
        }
    )
    publish_examples(composition.bundle_shelf(settings), tmp_path)
    site = tmp_path / "site"
    site.mkdir()
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(dev_app(settings, site), host="127.0.0.1", port=port, log_level="error")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}", settings
    finally:
        server.should_exit = True
        thread.join(10)


def project_token(settings: Settings) -> tuple[str, str, str]:
    """A token of an approved project: (token, its id, the member's id)."""
    services = composition.member_services(settings)
    member = a_member("ProjectX", "project@example.org", status="approved")
    member = member.changed(services.clock(), membership_type="project")
    services.directory.add(member)
    assert services.api_tokens is not None
    issued = services.api_tokens.issue(member, "integration test")
    return issued.token, issued.stored.id, member.id


def environment(site: str, token: str) -> dict[str, str]:
    return {
        "ALERTS_SITE": site,
        "ALERTS_TOKEN": token,
        "BUNDLE_KEY_ID": KEY_ID,
        "BUNDLE_VERIFY_KEY": base64.b64encode(bytes(KEY.verify_key)).decode(),
    }


def run_python(code: str, env: dict[str, str], monkeypatch) -> dict:
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    scope: dict = {}
    exec(compile(code, str(DOC), "exec"), scope)  # noqa: S102 - the documented snippet
    return scope


def test_the_python_snippet_verifies_a_bundle_and_a_revoked_token_gets_401(dev_server, monkeypatch):
    site, settings = dev_server
    token, token_id, member_id = project_token(settings)
    scope = run_python(snippet("python"), environment(site, token), monkeypatch)
    numbers = [alert["number"] for alert in scope["alerts"]]
    assert "2026-0008" in numbers
    assert composition.api_token_store(settings).revoke(member_id, token_id)
    with pytest.raises(urllib.error.HTTPError) as refused:
        run_python(snippet("python"), environment(site, token), monkeypatch)
    assert refused.value.code == 401
    assert b"token_invalid" in refused.value.read()


def test_the_python_snippet_refuses_a_bundle_signed_by_another_key(dev_server, monkeypatch):
    from nacl.exceptions import BadSignatureError
    from nacl.signing import SigningKey

    site, settings = dev_server
    token, _, _ = project_token(settings)
    env = environment(site, token)
    other = SigningKey(b"\x09" * 32).verify_key
    env["BUNDLE_VERIFY_KEY"] = base64.b64encode(bytes(other)).decode()
    with pytest.raises(BadSignatureError):
        run_python(snippet("python"), env, monkeypatch)


@pytest.mark.skipif(shutil.which("node") is None, reason="needs node")
def test_the_javascript_snippet_verifies_a_bundle(dev_server, tmp_path):
    site, settings = dev_server
    token, token_id, member_id = project_token(settings)
    script = tmp_path / "fetch.mjs"
    script.write_text(
        snippet("javascript") + '\nconsole.log(alerts.map((alert) => alert.number).join(" "));\n'
    )
    env = {**os.environ, **environment(site, token)}
    node = shutil.which("node") or "node"
    done = subprocess.run(
        [node, str(script)], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "2026-0008" in done.stdout.split()
    assert composition.api_token_store(settings).revoke(member_id, token_id)
    refused = subprocess.run(
        [node, str(script)], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert refused.returncode != 0 and "401" in refused.stderr


def test_the_snippets_are_about_a_dozen_lines():
    for language in ("python", "javascript"):
        lines = [line for line in snippet(language).splitlines() if line.strip()]
        assert len(lines) <= 16, language
