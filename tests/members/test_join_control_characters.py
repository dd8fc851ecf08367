"""Join fields that staff read in a terminal refuse characters that could drive it."""

import pytest
from starlette.testclient import TestClient

from uglymugs import composition
from uglymugs.config import Settings
from uglymugs.members.directory.sqlite import SQLiteMemberDirectory

APPLICATION = {
    "membership_type": "project",
    "username": "BasisYorks",
    "email": "basis@example.org",
    "organisation": "Basis Yorkshire",
    "contact_role": "Outreach worker",
    "accept_terms": True,
}
HOSTILE = (
    "\x1b[2J",  # clear the screen
    "\x1b]0;owned\x07",  # retitle the window
    "\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\",  # OSC 8 hyperlink
    "\x9b31m",  # C1 control sequence introducer
    "\u202eevil",  # right-to-left override
    "\u2066isolate\u2069",  # bidi isolate
    "zero\u200bwidth",  # zero-width space
    "two\nlines",
)


@pytest.fixture
def client(tmp_path, monkeypatch):
    for name in ("UGLYMUGS_MEMBERS_TABLE", "UGLYMUGS_SESSIONS_TABLE", "UGLYMUGS_MAIL_FROM"):
        monkeypatch.delenv(name, raising=False)
    environ = {"UGLYMUGS_DATA_DIR": str(tmp_path / "data")}
    return TestClient(
        composition.member_app(Settings.from_environ(environ)), base_url="https://testserver"
    )


@pytest.mark.parametrize("field", ["organisation", "contact_role", "email"])
@pytest.mark.parametrize("hostile", HOSTILE)
def test_control_and_bidi_characters_are_refused_naming_the_field(client, tmp_path, field, hostile):
    value = f"Basis{hostile}" if field != "email" else f"basis{hostile}@example.org"
    response = client.post("/api/members", json={**APPLICATION, field: value})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_field" and error["field"] == field
    assert hostile not in error["message"]
    assert SQLiteMemberDirectory(tmp_path / "data" / "state.sqlite3").members() == []


def test_letters_of_every_language_are_accepted(client, tmp_path):
    organisation = "Asociația Ștefan · Zakład Łódź · 丑陋杯子 · Associação São"
    response = client.post("/api/members", json={**APPLICATION, "organisation": organisation})
    assert response.status_code == 202
    (member,) = SQLiteMemberDirectory(tmp_path / "data" / "state.sqlite3").members()
    assert member.organisation == organisation
