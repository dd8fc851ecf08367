"""``uglymugs dev`` sends every API prefix to its app and the rest to the site."""

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
