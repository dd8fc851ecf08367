"""The console's due filters: ready to share with SCAS or to refer, and not yet done,
from the same rules and consents as the packets and the sharing ledger."""

from datetime import UTC, datetime
from pathlib import Path

import pyrage

from tests.staff.conftest import report
from uglymugs.audit.log.sqlite import SQLiteAuditLog
from uglymugs.reports.incidents import group_incidents
from uglymugs.reports.reading import OpenedReport
from uglymugs.sharing.ledger import record_share, shares_of
from uglymugs.sharing.packets import build_packet
from uglymugs.sharing.partners import Partner

SCAS = Partner(
    "t-scas", "Test", "scas", ("all",), "s@example.invalid",
    str(pyrage.x25519.Identity.generate().to_public()), True, Path(),
)  # fmt: skip


def shared(ledger, number, content):
    incident = group_incidents([OpenedReport(number, "2026-11-23T10:00:00Z", "k", content)])[0]
    packet = build_packet("scas", incident, SCAS, datetime(2026, 11, 24, tzinfo=UTC))
    record_share(ledger, "Sam", incident, packet, SCAS)


def test_the_queue_and_front_page_show_what_is_due(console, tmp_path):
    ledger = SQLiteAuditLog(tmp_path / "sharing.sqlite3", table="sharing_ledger")
    console.services.sharing_ledger = ledger
    serious = report(categories=["rape"], consent_scas="yes", contact_preference="none")
    console.add(serious)
    done = console.add(serious)
    console.add(report(categories=["rape"], consent_scas="no", contact_preference="none"))
    console.add(report(categories=["theft"], consent_scas="yes", contact_preference="none"))
    console.add(report(categories=["theft"], consent_police_help="yes", contact_preference="phone"))
    console.add(report(categories=["theft"], consent_police_help="no", contact_preference="phone"))
    shared(ledger, done, serious)
    console.unlock()
    assert "Incidents shown: 1" in console.client.get("/queue?due=scas").text
    assert "Incidents shown: 1" in console.client.get("/queue?due=referral").text
    assert "Incidents shown: 6" in console.client.get("/queue?due=bogus").text
    front = console.client.get("/").text
    assert '<a href="/queue?due=scas"><strong>1</strong>' in front
    assert '<a href="/queue?due=referral"><strong>1</strong>' in front


def test_the_incident_view_shows_its_shares_and_what_is_due(console, tmp_path):
    ledger = SQLiteAuditLog(tmp_path / "sharing.sqlite3", table="sharing_ledger")
    console.services.sharing_ledger = ledger
    serious = report(
        categories=["rape"],
        consent_scas="yes",
        consent_police_help="yes",
        contact_preference="phone",
    )
    number = console.add(serious)
    console.unlock()
    page = console.client.get(f"/incidents/{number}").text
    assert "Not shared with any partner." in page
    assert f"uglymugs share scas {number} --preview" in page
    assert f"uglymugs share referral {number} --preview" in page
    shared(ledger, number, serious)
    page = console.client.get(f"/incidents/{number}").text
    assert "t-scas" in page and "consent_scas: yes" in page
    assert f"uglymugs share scas {number}" not in page
    assert f"uglymugs share referral {number} --preview" in page


def test_a_consent_withdrawn_after_a_share_names_the_partners_to_ask(console, tmp_path):
    ledger = SQLiteAuditLog(tmp_path / "sharing.sqlite3", table="sharing_ledger")
    console.services.sharing_ledger = ledger
    serious = report(categories=["rape"], consent_scas="yes", contact_preference="none")
    number = console.add(serious)
    shared(ledger, number, serious)
    (share,) = shares_of(ledger, [number])
    console.unlock()
    assert "Consent withdrawn" not in console.client.get(f"/incidents/{number}").text
    console.add(  # staff record the withdrawal from a call, as a follow-up
        report(report_type="follow_up", follows=number, consent_scas="no"),
        received_at="2026-11-25T10:00:00Z",
    )
    console.services.keyholder.reload(force=True)
    page = console.client.get(f"/incidents/{number}").text
    assert "Consent withdrawn since these shares" in page and share.packet_id in page
