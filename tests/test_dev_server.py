"""``uglymugs dev`` sends every API prefix to its app and the rest to the site."""

import os

from starlette.testclient import TestClient

from uglymugs.cli.dev import dev_app
from uglymugs.config import Settings
from uglymugs.crypto import TEST_KDF, create_keys


def test_member_prefixes_reach_the_member_api(tmp_path, monkeypatch):
    for name in ("UGLYMUGS_MEMBERS_TABLE", "UGLYMUGS_SESSIONS_TABLE", "UGLYMUGS_MAIL_FROM"):
        monkeypatch.delenv(name, raising=False)
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<p>home</p>")
    environ = {"UGLYMUGS_DATA_DIR": str(tmp_path / "data"), "UGLYMUGS_REPORT_KEYRING": ""}
    create_keys(tmp_path / "data" / "keys", "dev", kdf=TEST_KDF)
    client = TestClient(
        dev_app(Settings.from_environ(environ), site), base_url="https://testserver"
    )
    join = {
        "membership_type": "individual",
        "username": "DevPerson",
        "email": "dev@example.org",
        "accept_terms": True,
    }
    assert client.post("/api/members", json=join).status_code == 202
    assert client.get("/api/members/me").status_code == 401
    assert client.get("/api/alerts/bundle").status_code == 401
    assert client.post("/api/check", json={"kind": "phone", "value": "1"}).status_code == 401
    assert client.delete("/api/session").status_code == 204
    assert client.get("/api/reports/key").status_code == 200
    assert "home" in client.get("/").text
    assert len(list((tmp_path / "data" / "outbox").glob("*.eml"))) == 1


def test_the_site_is_served_from_its_build_time_brotli_and_gzip_copies(tmp_path):
    """Like CloudFront: brotli when the browser takes it, else gzip, else the file; the
    security headers on each; small files as they are."""
    import brotli

    from uglymugs.dev_server import create_dev_app
    from uglymugs.website.precompress import precompress

    site = tmp_path / "site"
    (site / "report").mkdir(parents=True)
    page = "<p>" + "report " * 400 + "</p>"
    (site / "report" / "index.html").write_text(page)
    (site / "small.js").write_text("let a = 1;")
    precompress(site)
    client = TestClient(create_dev_app(None, None, site), base_url="https://testserver")

    def get(path: str, coding: str):
        return client.get(path, headers={"Accept-Encoding": coding})

    brotli_answer = client.get("/report/", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert brotli_answer.headers["content-encoding"] == "br"
    assert brotli_answer.headers["vary"] == "Accept-Encoding"
    assert brotli_answer.headers["content-type"].startswith("text/html")
    assert "wasm-unsafe-eval" in brotli_answer.headers["content-security-policy"]
    copy = (site.parent / "site.compressed" / "report" / "index.html.br").read_bytes()
    assert brotli.decompress(copy).decode() == page
    assert brotli_answer.text == page  # decoded by the client, as a browser does
    gzip_answer = get("/report/index.html", "gzip")
    assert gzip_answer.headers["content-encoding"] == "gzip"
    assert gzip_answer.text == page
    plain = get("/report/", "identity")
    assert "content-encoding" not in plain.headers and plain.text == page
    small = get("/small.js", "br, gzip")
    assert "content-encoding" not in small.headers and small.text == "let a = 1;"
    assert get("/../site/report/", "br").status_code in (400, 404)


def test_dev_on_another_port_links_to_that_port(tmp_path, monkeypatch):
    """``uglymugs dev --port 8731``: the set-password link `members approve` e-mails and
    the reset link the dev server e-mails both lead to port 8731, not 8000."""
    from uglymugs.cli import main
    from uglymugs.cli.dev import dev_settings

    for name in list(os.environ):
        if name.startswith("UGLYMUGS_"):
            monkeypatch.delenv(name)
    data = tmp_path / "data"
    monkeypatch.setenv("UGLYMUGS_DATA_DIR", str(data))
    create_keys(data / "keys", "dev", kdf=TEST_KDF)
    site = tmp_path / "site"
    site.mkdir()
    settings = dev_settings(Settings.from_env(), "127.0.0.1", 8731)
    assert settings.site_url == "http://127.0.0.1:8731"
    client = TestClient(dev_app(settings, site), base_url="https://testserver")
    join = {
        "membership_type": "individual",
        "username": "PortPerson",
        "email": "port@example.org",
        "accept_terms": True,
    }
    assert client.post("/api/members", json=join).status_code == 202
    assert main(["members", "approve", "PortPerson"]) == 0  # another process's settings
    reset = client.post("/api/members/password-reset", json={"login": "PortPerson"})
    assert reset.status_code == 202, reset.text
    mails = [path.read_text() for path in sorted((data / "outbox").glob("*.eml"))]
    links = [line for mail in mails for line in mail.splitlines() if "#token=" in line]
    assert len(links) == 2, mails
    assert all("http://127.0.0.1:8731/members/set-password/#token=" in line for line in links)
    assert not any(":8000" in mail for mail in mails)


def test_a_missing_page_gets_the_404_page_of_its_language(tmp_path):
    from uglymugs.dev_server import create_dev_app

    site = tmp_path / "site"
    (site / "ro" / "report").mkdir(parents=True)
    (site / "404.html").write_text("<p>Page not found</p>")
    (site / "ro" / "404.html").write_text("<p>Pagina nu a fost găsită</p>")
    (site / "ro" / "report" / "index.html").write_text("<p>raport</p>")
    client = TestClient(create_dev_app(None, None, site), base_url="https://testserver")
    romanian = client.get("/ro/no-such-page/")
    assert romanian.status_code == 404 and "găsită" in romanian.text
    assert romanian.headers["content-type"].startswith("text/html")
    assert "content-security-policy" in romanian.headers
    english = client.get("/no-such-page/")
    assert english.status_code == 404 and "Page not found" in english.text
    polish = client.get("/pl/no-such-page/")  # no Polish 404 page in this site
    assert polish.status_code == 404 and "Page not found" in polish.text
    assert client.get("/ro/report/").text == "<p>raport</p>"
    assert client.get("/ro/report", follow_redirects=False).status_code in (301, 307)
