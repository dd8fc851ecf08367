"""``uglymugs dev`` answers every method and path with a 4xx or the page, never a 500.

The test client re-raises any exception the app lets out, so a request that would have
been a 500 with a traceback on the server's stderr fails here before its assertions.
"""

import pytest
from starlette.testclient import TestClient

from uglymugs.cli.dev import dev_app
from uglymugs.config import Settings
from uglymugs.crypto import TEST_KDF, create_keys
from uglymugs.web.security_headers import COMMON_HEADERS

pytestmark = pytest.mark.attack("dev-server malformed requests")

SECURITY_HEADERS = (*COMMON_HEADERS, "Content-Security-Policy")
HOSTILE_METHODS = ("POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE", "PROPFIND", "FOO")
HOSTILE_PATHS = (
    "/%00",
    "/index.html%00.txt",
    "/report/%00/",
    "/%0d%0aSet-Cookie:%20x=1",
    "/%1b]0;owned%07",
    "/%e2%80%ae",
    "/../../etc/passwd",
    "/%2e%2e/%2e%2e/etc/passwd",
    "/..%2f..%2fetc%2fpasswd",
    "/%ff%fe",
    "/%ed%a0%80",
    "/" + "a" * 300,
    "/" + "a/" * 3000,
    "/nothing-here/",
    "/keys.json/",
    "//",
    "/\\..\\secret",
    "/api",
    "/api/",
    "/api/nothing",
    "/api/reports/%00",
    "/api/members/%00",
)


@pytest.fixture
def client(tmp_path, monkeypatch):
    for name in ("UGLYMUGS_MEMBERS_TABLE", "UGLYMUGS_SESSIONS_TABLE", "UGLYMUGS_MAIL_FROM"):
        monkeypatch.delenv(name, raising=False)
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<p>home</p>")
    (site / "keys.json").write_text("{}")
    environ = {"UGLYMUGS_DATA_DIR": str(tmp_path / "data"), "UGLYMUGS_REPORT_KEYRING": ""}
    create_keys(tmp_path / "data" / "keys", "dev", kdf=TEST_KDF)
    return TestClient(dev_app(Settings.from_environ(environ), site), base_url="https://testserver")


def assert_answered_with_every_header(response, status=None):
    """Below 500 (the page or a 4xx), or exactly ``status``; every security header."""
    assert response.status_code < 500, (response.status_code, response.text)
    if status is not None:
        assert response.status_code == status
    missing = [name for name in SECURITY_HEADERS if name not in response.headers]
    assert missing == []
    assert "Traceback" not in response.text


@pytest.mark.parametrize("method", HOSTILE_METHODS)
@pytest.mark.parametrize("path", ["/", "/keys.json", "/report/", "/nothing-here"])
def test_other_methods_on_the_site_are_405_with_allow(client, method, path):
    response = client.request(method, path)
    assert_answered_with_every_header(response, 405)
    assert response.headers["Allow"] == "GET, HEAD"


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_methods_on_an_api_are_405_with_allow(client, method):
    response = client.request(method, "/api/reports")
    assert_answered_with_every_header(response, 405)
    assert "POST" in response.headers["Allow"]
    assert response.json()["error"]["code"] == "method_not_allowed"


@pytest.mark.parametrize("method", ["GET", "HEAD", "POST"])
@pytest.mark.parametrize("path", HOSTILE_PATHS)
def test_hostile_paths_are_answered_below_500_with_every_header(client, method, path):
    assert_answered_with_every_header(client.request(method, path))


@pytest.mark.parametrize("path", ["/%00", "/index.html%00.txt", "/%1b]0;owned%07", "/%e2%80%ae"])
def test_control_characters_in_a_path_are_400(client, path):
    assert_answered_with_every_header(client.get(path), 400)


def test_a_missing_page_is_404_and_the_site_still_serves(client):
    assert_answered_with_every_header(client.get("/nothing-here/"), 404)
    home = client.get("/")
    assert home.status_code == 200 and "home" in home.text
    assert all(name in home.headers for name in SECURITY_HEADERS)
    assert client.head("/keys.json").status_code == 200
