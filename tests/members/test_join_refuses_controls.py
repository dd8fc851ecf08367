"""Join fields refuse control and text-direction characters (issue 12: an organisation
cleared staff terminals, retitled windows and reversed text)."""

import pytest

from tests.members.test_member_api import APPLICATION

HOSTILE = {
    "NUL": "\x00",
    "escape": "\x1b]0;title\x07",
    "DEL": "\x7f",
    "C1 CSI": "\x9b2J",
    "right-to-left override": "\u202e",
    "isolate": "\u2066",
    "right-to-left mark": "\u200f",
    "newline": "\n",
}


@pytest.mark.parametrize("character", list(HOSTILE.values()), ids=list(HOSTILE))
@pytest.mark.parametrize(
    ("field", "fine"),
    [
        ("organisation", "Basis Yorkshire"),
        ("contact_role", "Outreach worker"),
        ("email", "dave@example.org"),
        ("mobile", "07700 900001"),
    ],
)
def test_control_characters_are_refused_naming_the_field(scheme, field, fine, character):
    client, services, _, mailer = scheme
    application = {**APPLICATION, "membership_type": "project", "organisation": "Basis"}
    application[field] = fine[:4] + character + fine[4:]
    response = client.post("/api/members", json=application)
    assert response.status_code == 422
    error = response.json()["error"]
    assert (error["code"], error["field"]) == ("invalid_field", field)
    assert character not in error["message"]
    assert services.directory.members() == [] and mailer.messages() == []


def test_letters_of_every_script_are_welcome(scheme):
    client, services, _, _ = scheme
    application = {**APPLICATION, "membership_type": "project", "organisation": "Zażółć 北京 ☂"}
    assert client.post("/api/members", json=application).status_code == 202
    assert services.directory.find("DaveM").organisation == "Zażółć 北京 ☂"
