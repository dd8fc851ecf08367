"""What may go to whom, field by field; the canary: nothing identifying, in any encoding."""

import base64
import json
import quopri
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, quote_plus

import pyrage
import pytest

from uglymugs.reports.incidents import group_incidents
from uglymugs.reports.reading import OpenedReport
from uglymugs.sharing.packets import ShareRefusedError, build_packet, encrypt
from uglymugs.sharing.partners import KINDS, Partner
from uglymugs.sharing.rules import ACTIONS, ANONYMISED, NEVER, REFERRAL, fields_for

NOW = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)
CANARIES = {
    "contact_details": "Canary-Contact-6e3a jess@example.net 07700 900777",
    "project_name": "Canary-Project-2f4d",
    "site_name": "Canary-Site-8b1c",
    "member_username": "Canary-Member-4d2e",
    "member_email": "canary-member@example.org",
}


def answers(**changes):
    base = {
        "incident_date": "2026-11-20",
        "incident_time": "about 21:30",
        "town_or_area": "Ancoats, Manchester",
        "force_area": "greater-manchester",
        "location_type": "outcall",
        "offender_sex": "male",
        "offender_age": "40s",
        "vehicle_make": "Ford",
        "vehicle_registration": "ZZ99 ZZZ",
        "phone_numbers": "07700 900123",
        "what_happened": "he would not stop",
        "categories": ["rape", "threats"],
        "police_told": "no",
        "victim_agreed": "yes",
        "consent_alert": "yes",
        "consent_scas": "yes",
        "consent_police_help": "yes",
        "contact_preference": "email",
        **CANARIES,
    }
    base.update(changes)
    return {key: value for key, value in base.items() if value is not None}


def incident(reporter="project", **changes):
    content = {
        "schema": "uglymugs.report/1",
        "report_type": "full",
        "follows": None,
        "reporter": reporter,
        "language": "en",
        "answers": answers(**changes),
    }
    report = OpenedReport("UM-7K3F-92QH-X4PM", "2026-11-21T08:00:00Z", "report-x", content)
    return group_incidents([report])[0]


def partner(kind, areas=("greater-manchester",), identity=None):
    recipient = str((identity or pyrage.x25519.Identity.generate()).to_public())
    return Partner(
        f"test-{kind}", "Test", kind, areas, "p@example.invalid", recipient, True, Path()
    )


PARTNER_FOR = {"scas": "scas", "hub": "hub", "referral": "liaison"}


def encodings(text):
    forms = {text, text.lower(), text.upper(), json.dumps(text)[1:-1]}
    forms |= {json.dumps(text, ensure_ascii=False)[1:-1], quote(text), quote_plus(text)}
    for form in list(forms):
        forms.add(base64.b64encode(form.encode()).decode())
        forms.add(base64.urlsafe_b64encode(form.encode()).decode())
        forms.add(form.encode().hex())
        forms.add(quopri.encodestring(form.encode()).decode().rstrip("=\n"))
    words = [word for word in text.split() if len(word) > 5]
    return forms | {word.lower() for word in words}


@pytest.mark.parametrize("action", list(ACTIONS))
def test_no_packet_holds_contact_details_project_site_or_member_data(action):
    packet = build_packet(action, incident(), partner(PARTNER_FOR[action]), NOW)
    text = packet.data.decode()
    haystacks = (text, text.lower(), text.upper(), packet.document["printable"].lower())
    for canary in CANARIES.values():
        for form in encodings(canary):
            assert not any(form in haystack for haystack in haystacks), (canary, form)
    assert "reporter" not in text
    assert not NEVER.intersection(packet.document["answers"])


EVERY_KIND = [(action, kind) for action in ACTIONS for kind in ACTIONS[action][2]]


@pytest.mark.parametrize(("action", "kind"), EVERY_KIND)
def test_no_packet_to_any_partner_kind_holds_a_canary_in_any_encoding(action, kind):
    identity = pyrage.x25519.Identity.generate()
    packet = build_packet(action, incident(), partner(kind, identity=identity), NOW)
    opened = pyrage.decrypt(encrypt(packet, partner(kind, identity=identity)), [identity])
    assert opened == packet.data  # what the partner reads is what was checked
    text = opened.decode()
    haystacks = (text, text.lower(), text.upper(), json.dumps(json.loads(text)))
    for canary in CANARIES.values():
        for form in encodings(canary):
            assert not any(form.lower() in haystack.lower() for haystack in haystacks), (
                kind,
                canary,
                form,
            )


@pytest.mark.parametrize("action", list(ACTIONS))
@pytest.mark.parametrize("kind", sorted(set(KINDS) - {"scas", "hub", "liaison", "support"}))
def test_bureaus_and_regional_units_never_get_an_incident_packet(action, kind):
    with pytest.raises(ShareRefusedError, match="never incident packets"):
        build_packet(action, incident(), partner(kind), NOW)


def test_every_partner_kind_is_either_sent_packets_or_alerts():
    packet_kinds = {kind for _action, kind in EVERY_KIND}
    assert packet_kinds | {"bureau", "regional"} == set(KINDS)


@pytest.mark.parametrize("action", list(ACTIONS))
def test_a_packet_carries_exactly_the_allowed_fields(action):
    packet = build_packet(action, incident(), partner(PARTNER_FOR[action]), NOW)
    given = set(answers())
    assert set(packet.document["answers"]) == set(fields_for(action)) & given - NEVER
    assert packet.document["force_area"] == "greater-manchester"
    consent = packet.document["consent"]
    assert consent["answer"] == "yes" and consent["source"] == "UM-7K3F-92QH-X4PM"


def test_the_field_table():
    assert "what_happened" in ANONYMISED and "vehicle_registration" in ANONYMISED
    assert "what_happened" not in REFERRAL and "contact_preference" in REFERRAL
    assert not NEVER.intersection(ANONYMISED) and not NEVER.intersection(REFERRAL)


@pytest.mark.parametrize(
    ("action", "changes", "reporter", "reason"),
    [
        ("scas", {"consent_scas": None}, "self", "consent_scas: not answered"),
        ("scas", {"consent_scas": "no"}, "self", "did not agree"),
        ("hub", {"consent_scas": "no"}, "self", "did not agree"),
        ("scas", {"victim_agreed": None}, "project", "project or site cannot consent"),
        ("scas", {"categories": ["robbery"]}, "self", "SCAS's criteria"),
        ("hub", {"force_area": "kent", "town_or_area": "Dover"}, "self", "does not cover"),
        ("referral", {"consent_police_help": "no"}, "self", "did not agree"),
        ("referral", {"contact_preference": "none"}, "self", "choose a way to be contacted"),
    ],
)
def test_no_packet_without_the_consent_and_the_rules(action, changes, reporter, reason):
    with pytest.raises(ShareRefusedError, match=reason):
        build_packet(action, incident(reporter, **changes), partner(PARTNER_FOR[action]), NOW)


@pytest.mark.parametrize(("action", "kind"), [("scas", "hub"), ("hub", "scas"), ("hub", "bureau")])
def test_a_packet_goes_only_to_its_kind_of_partner(action, kind):
    with pytest.raises(ShareRefusedError):
        build_packet(action, incident(), partner(kind), NOW)


def test_a_national_partner_covers_every_area_and_scas_needs_no_area():
    packet = build_packet(
        "scas", incident(force_area=None, town_or_area="somewhere"), partner("scas", ("all",)), NOW
    )
    assert packet.document["force_area"] is None
