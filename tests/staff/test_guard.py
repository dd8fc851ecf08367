"""Who may talk to the console: launch token, session cookie, Host, Origin; no-store."""

from starlette.testclient import TestClient

from tests.staff.conftest import ORIGIN, PASSPHRASE, make_console
from uglymugs.staff.guard import COOKIE


def test_the_launch_token_works_once_and_sets_a_strict_http_only_cookie(tmp_path, key_files):
    console = make_console(tmp_path, key_files)
    token = console.tickets.launch_token
    first = console.client.get(f"/launch?token={token}", follow_redirects=False)
    assert first.status_code == 303
    cookie = first.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Path=/" in cookie
    again = TestClient(console.client.app, base_url=ORIGIN).get(
        f"/launch?token={token}", follow_redirects=False
    )
    assert again.status_code == 403 and COOKIE not in again.cookies


def test_a_wrong_launch_token_gives_no_session(tmp_path, key_files):
    console = make_console(tmp_path, key_files)
    response = console.client.get("/launch?token=guessed", follow_redirects=False)
    assert response.status_code == 403
    assert console.client.get("/", follow_redirects=False).status_code == 401
    assert console.tickets.launch_token is not None  # a wrong guess does not burn it


def test_without_the_session_cookie_every_page_is_refused(tmp_path, key_files):
    console = make_console(tmp_path, key_files)
    for path in ("/", "/queue", "/unlock", "/members", "/publishing", "/reports/new"):
        response = console.client.get(path, follow_redirects=False)
        assert response.status_code == 401, path
        assert "report" not in response.text.lower() or "console printed" in response.text
    refused = console.client.post(
        "/unlock", data={"passphrase": PASSPHRASE}, headers={"Origin": ORIGIN}
    )
    assert refused.status_code == 401 and console.services.keyholder.state is None


def test_another_host_is_refused_even_with_the_session(console):
    for host in ("evil.example:8765", "127.0.0.1:9999", "localhost", "attacker.test"):
        response = console.client.get("/", headers={"Host": host}, follow_redirects=False)
        assert response.status_code == 421, host
    assert console.client.get("/", headers={"Host": "localhost:8765"}).status_code == 200


def test_a_post_from_another_origin_or_site_is_refused(console):
    for headers in (
        {"Origin": "http://evil.example"},
        {"Origin": "null"},
        {"Origin": "null", "Sec-Fetch-Site": "cross-site"},
        {"Sec-Fetch-Site": "same-origin"},
        {},
        {"Origin": ORIGIN, "Sec-Fetch-Site": "cross-site"},
        {"Origin": ORIGIN, "Sec-Fetch-Site": "same-site"},
    ):
        response = console.client.post(
            "/unlock", data={"passphrase": PASSPHRASE}, headers=headers, follow_redirects=False
        )
        assert response.status_code == 403, headers
    assert console.services.keyholder.state is None
    # A form on a page sent with Referrer-Policy: no-referrer says Origin: null.
    same = {"Origin": "null", "Sec-Fetch-Site": "same-origin"}
    assert console.post("/lock", headers=same).status_code == 303
    assert console.unlock().status_code == 303
    assert console.services.keyholder.state is not None


def test_every_response_carries_no_store_and_the_sites_security_headers(console):
    console.unlock()
    for path in ("/", "/queue", "/unlock", "/static/staff.css", "/nowhere"):
        response = console.client.get(path, follow_redirects=False)
        assert response.headers["cache-control"] == "no-store", path
        csp = response.headers["content-security-policy"]
        assert "default-src 'none'" in csp and "script-src 'self'" in csp
        assert "unsafe-inline" not in csp
        assert response.headers["x-frame-options"] == "DENY"
        assert response.headers["referrer-policy"] == "no-referrer"
    refused = console.client.get("/", headers={"Host": "evil.example"})
    assert refused.headers["cache-control"] == "no-store"
