"""The incident view's share buttons: a preview of exactly what would go, then the
encrypted file or an e-mail to the partner, recorded in the sharing ledger and the
audit log; a refusal names the rule and shares nothing."""

import html
import json
import re

import pyrage
import pytest

from tests.partner_files import write_partner
from tests.staff.conftest import report
from uglymugs.sharing.ledger import shares

CONTACT = "Canary-Contact-91c2 kim@example.net"
SERIOUS = dict(
    categories=["rape"],
    consent_scas="yes",
    consent_police_help="yes",
    contact_preference="phone",
    contact_details=CONTACT,
    town_or_area="Ancoats, Manchester",
    what_happened="he would not let her leave",
)


@pytest.fixture
def sharing(console, tmp_path):
    partners = tmp_path / "partners"
    partners.mkdir()
    identities = {
        partner_id: write_partner(partners, partner_id, kind, areas, f"Test {kind} {partner_id}")
        for partner_id, kind, areas in (
            ("t-scas", "scas", "[all]"),
            ("t-hub", "hub", "[greater-manchester]"),
            ("t-hub-kent", "hub", "[kent]"),
            ("t-liaison", "liaison", "[greater-manchester]"),
        )
    }
    ledger, mailer = console.share_with(partners)
    console.unlock()
    return identities, ledger, mailer


def _key(page: str) -> str:
    return re.search(r'name="key" value="([0-9a-f]{64})"', page).group(1)


def test_the_preview_shows_exactly_the_packet_and_records_no_share(console, sharing):
    _identities, ledger, mailer = sharing
    number = console.add(report(**SERIOUS))
    response = console.client.get(f"/incidents/{number}/share?action=scas")
    page = response.text
    assert response.status_code == 200, page[page.find("<main") :][:800]
    shown_json = re.search(r'<pre class="text" id="packet-json">(.*?)</pre>', page, re.S)
    shown = json.loads(html.unescape(shown_json.group(1)))
    assert shown["action"] == "scas" and shown["incident"] == number
    assert "what_happened" in shown["answers"] and "contact_details" not in shown["answers"]
    assert CONTACT not in page
    assert shares(ledger) == [] and not mailer.outbox.exists()


def test_saving_the_file_gives_the_encrypted_packet_and_records_it(console, sharing):
    identities, ledger, _mailer = sharing
    number = console.add(report(**SERIOUS))
    page = console.client.get(f"/incidents/{number}/share?action=hub").text
    assert "t-hub-kent" not in page  # does not cover the incident's area
    response = console.post(
        f"/incidents/{number}/share",
        {"action": "hub", "to": "t-hub", "key": _key(page), "route": "file"},
    )
    assert response.status_code == 200
    assert "attachment" in response.headers["content-disposition"]
    packet = json.loads(pyrage.decrypt(response.content, [identities["t-hub"]]))
    assert packet["partner"] == "t-hub" and CONTACT not in json.dumps(packet)
    [recorded] = shares(ledger)
    assert recorded.partner == "t-hub" and recorded.who == "Sam" and recorded.route == "file"
    audit = [(e.action, e.detail) for e in console.services.history(number)]
    assert ("share", "hub to t-hub (file)") in audit
    assert "t-hub" in console.client.get(f"/incidents/{number}").text


def test_e_mailing_sends_once_and_records_once(console, sharing):
    identities, ledger, mailer = sharing
    number = console.add(report(**SERIOUS))
    page = console.client.get(f"/incidents/{number}/share?action=referral&to=t-liaison").text
    form = {"action": "referral", "to": "t-liaison", "key": _key(page), "route": "email"}
    response = console.post(f"/incidents/{number}/share", form)
    assert response.status_code == 303 and "shared=sent" in response.headers["location"]
    again = console.post(f"/incidents/{number}/share", form)
    assert "shared=already" in again.headers["location"]
    (message,) = mailer.messages()
    assert message["To"] == "t-liaison@example.invalid"
    (attached,) = list(message.iter_attachments())
    packet = json.loads(pyrage.decrypt(attached.get_content(), [identities["t-liaison"]]))
    assert packet["answers"]["contact_preference"] == "phone"
    assert CONTACT not in json.dumps(packet)
    assert len(shares(ledger)) == 1
    page = console.client.get(f"/incidents/{number}?shared=sent").text
    assert "Sent by e-mail and recorded" in page


@pytest.mark.parametrize(
    ("answers", "action", "rule"),
    [
        ({"consent_scas": "no"}, "scas", "no consent"),
        ({"categories": ["theft"]}, "scas", "does not meet SCAS"),
        ({"contact_preference": "none"}, "referral", "did not choose a way to be contacted"),
    ],
)
def test_a_refused_share_explains_the_rule_and_shares_nothing(
    console, sharing, answers, action, rule
):
    _identities, ledger, mailer = sharing
    number = console.add(report(**{**SERIOUS, **answers}))
    page = console.client.get(f"/incidents/{number}/share?action={action}")
    assert page.status_code == 422 and rule in page.text and 'id="packet-json"' not in page.text
    to = "t-scas" if action == "scas" else "t-liaison"
    forged = {"action": action, "to": to, "key": "0" * 64, "route": "file"}
    response = console.post(f"/incidents/{number}/share", forged)
    assert response.status_code == 422 and rule in response.text
    assert shares(ledger) == [] and not mailer.outbox.exists()


def test_a_changed_incident_or_bad_input_shares_nothing(console, sharing):
    _identities, ledger, _mailer = sharing
    number = console.add(report(**SERIOUS))
    page = console.client.get(f"/incidents/{number}/share?action=scas").text
    key = _key(page)
    bad = [
        ({"action": "scas", "to": "t-scas", "key": key, "route": "fax"}, 422),
        ({"action": "nope", "to": "t-scas", "key": key, "route": "file"}, 422),
        ({"action": "scas", "to": "t-hub", "key": key, "route": "file"}, 422),
        ({"action": "scas", "to": "t-scas", "key": "f" * 64, "route": "file"}, 409),
    ]
    for form, status in bad:
        assert console.post(f"/incidents/{number}/share", form).status_code == status, form
    assert shares(ledger) == []


def test_sharing_needs_the_console_unlocked(console, sharing):
    number = console.add(report(**SERIOUS))
    console.post("/lock")
    response = console.client.get(f"/incidents/{number}/share?action=scas", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/unlock"


@pytest.mark.parametrize(
    ("language", "says"),
    [
        ("ro", "fără consimțământ"),
        ("pt-BR", "sem consentimento"),
        ("pl", "brak zgody"),
        ("zh-Hans", "未获同意"),
        ("en", "no consent: the person did not agree (consent_scas: no in"),
    ],
)
def test_a_rules_refusal_is_shown_in_the_staff_members_language(console, sharing, language, says):
    number = console.add(report(**{**SERIOUS, "consent_scas": "no"}))
    response = console.client.get(
        f"/incidents/{number}/share?action=scas", headers={"Accept-Language": language}
    )
    assert response.status_code == 422
    assert says in html.unescape(response.text) and number in response.text
    if language != "en":
        assert "no consent" not in response.text
