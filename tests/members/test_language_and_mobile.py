"""A member's language (chosen at join, changed in preferences, used for account
e-mail) and their mobile number (confirmed in one tap, changed, removed)."""

from datetime import timedelta

import pytest

from tests.members.test_member_api import APPLICATION, approved_member, log_in
from uglymugs.languages import LANGUAGES
from uglymugs.members.mobile_numbers import REMINDER_INTERVAL
from uglymugs.members.vocabulary import LANGUAGE_CODES


def test_the_language_choices_are_the_sites():
    assert tuple(language.code for language in LANGUAGES) == LANGUAGE_CODES


def test_the_language_chosen_at_join_is_stored_and_used_for_account_email(scheme):
    client, _, _, mailer = scheme
    polish = {**APPLICATION, "language": "pl"}
    member = approved_member(scheme, polish)
    assert member.language == "pl"
    received, set_password = [m.get_body(("plain",)).get_content() for m in mailer.messages()]
    assert "/pl/members/set-password/#token=" in set_password
    client.post("/api/members", json={**APPLICATION, "username": "Other", "email": "o@example.org"})
    english = mailer.messages()[-1].get_body(("plain",)).get_content()
    assert received.replace("DaveM", "") != english.replace("Other", "")
    log_in(client)
    assert client.get("/api/members/me").json()["language"] == "pl"


def test_an_unknown_language_at_join_is_refused(scheme):
    client, services, _, _ = scheme
    response = client.post("/api/members", json={**APPLICATION, "language": "fr"})
    assert response.status_code == 422 and response.json()["error"]["field"] == "language"
    assert services.directory.members() == []


def test_the_language_is_changed_in_preferences(scheme):
    client, services, _, _ = scheme
    approved_member(scheme)
    log_in(client)
    body = {"channels": ["email"], "regions": [], "discreet_sms": False, "language": "ro"}
    assert client.put("/api/members/me/preferences", json=body).json()["language"] == "ro"
    assert services.directory.find("DaveM").language == "ro"
    body.pop("language")
    assert client.put("/api/members/me/preferences", json=body).json()["language"] == "ro"


def test_the_reminder_shows_after_six_months_and_one_tap_confirms(scheme, clock):
    client, services, _, _ = scheme
    approved_member(scheme)
    clock.advance(REMINDER_INTERVAL + timedelta(days=1))
    log_in(client)
    assert client.get("/api/members/me").json()["mobile_reminder_due"] is True
    confirmed = client.post("/api/members/me/mobile-confirmed")
    assert confirmed.status_code == 200
    assert (
        confirmed.json()["mobile_confirmed_at"]
        == services.directory.find("DaveM").mobile_confirmed_at
    )
    assert client.get("/api/members/me").json()["mobile_reminder_due"] is False


def test_a_new_number_counts_as_confirmed_and_none_stops_sms(scheme, clock):
    client, services, _, _ = scheme
    approved_member(scheme)
    log_in(client)
    changed = client.put("/api/members/me/mobile", json={"mobile": "07700 900999"})
    assert changed.status_code == 200 and changed.json()["mobile_confirmed_at"]
    assert services.directory.find("DaveM").mobile == "+447700900999"
    removed = client.put("/api/members/me/mobile", json={"mobile": None})
    assert removed.json()["has_mobile"] is False
    assert "sms" not in removed.json()["preferences"]["channels"]
    refused = client.post("/api/members/me/mobile-confirmed")
    assert refused.status_code == 422 and refused.json()["error"]["field"] == "mobile"


@pytest.mark.parametrize("body", [{"mobile": "not a phone"}, {"mobile": ""}, {}, {"mobile": 7}])
def test_a_bad_number_is_refused_and_changes_nothing(scheme, body):
    client, services, _, _ = scheme
    before = approved_member(scheme)
    log_in(client)
    response = client.put("/api/members/me/mobile", json=body)
    assert response.status_code == 422 and response.json()["error"]["field"] == "mobile"
    assert services.directory.find("DaveM").mobile == before.mobile
