"""Suggested links in the console: shown on the incident, confirmed or dismissed, audited."""

from __future__ import annotations

from tests.staff.conftest import report
from uglymugs.audit.trail import verify


def two_with_one_phone(console):
    one = console.add(report(phone_numbers="07700 900123", offender_marks="snake tattoo"))
    other = console.add(report(phone_numbers="+44 7700 900123", offender_marks="tatuaj șarpe"))
    for n in range(12):
        console.add(report(phone_numbers=f"07700 900{n:03d}", what_happened="He did not pay."))
    return one, other


def test_an_incident_shows_its_possible_links_with_reasons(console):
    one, other = two_with_one_phone(console)
    console.unlock()
    page = console.client.get(f"/incidents/{one}").text
    assert "Possibly the same offender as" in page
    assert other in page and "same phone +44 7700 900123" in page
    assert "both describe a snake tattoo" in page
    listing = console.client.get("/links").text
    assert one in listing and other in listing


def test_confirming_shows_on_both_and_is_audited_without_reasons(console):
    one, other = two_with_one_phone(console)
    console.unlock()
    back = f"/incidents/{one}"
    response = console.post(
        "/links/decide", {"a": one, "b": other, "decision": "confirmed", "back": back}
    )
    assert response.status_code == 303 and response.headers["location"].endswith("#links")
    for number in (one, other):
        page = console.client.get(f"/incidents/{number}").text
        assert "Confirmed:" in page
        assert console.services.keyholder.current().casework.load(number).links
    series = console.client.get("/links/series").text
    assert one in series and other in series
    entries = [e for e in console.services.audit_log.entries() if e.action == "link"]
    assert [(set(e.targets), e.detail) for e in entries] == [({one, other}, "confirmed")]
    assert all("900123" not in e.detail for e in console.services.audit_log.entries())
    assert verify(console.services.audit_log).ok


def test_a_dismissed_link_stays_dismissed(console):
    one, other = two_with_one_phone(console)
    console.unlock()
    console.post("/links/decide", {"a": one, "b": other, "decision": "dismissed"})
    page = console.client.get(f"/incidents/{one}").text
    assert other not in page.split("Possibly the same offender as")[1].split("<h2")[0]
    assert other not in console.client.get("/links").text


def test_bad_decisions_change_nothing(console):
    one, other = two_with_one_phone(console)
    console.unlock()
    for data in (
        {"a": one, "b": other, "decision": "maybe"},
        {"a": one, "b": "UM-NOPE-NOPE-NOPE", "decision": "confirmed"},
        {"a": one, "b": one, "decision": "confirmed"},
        {"a": one, "b": "alert <script>", "decision": "confirmed"},
        {},
    ):
        assert console.post("/links/decide", data).status_code == 422
    assert not console.services.keyholder.current().casework.load(one).links
    assert not [e for e in console.services.audit_log.entries() if e.action == "link"]


def test_links_need_the_console_unlocked(console):
    assert console.client.get("/links", follow_redirects=False).status_code == 303


ALERT_FILE = """---
number: 2026-0099
status: published
issued: 2026-11-02
incident:
  date: 2026-10-30
region: kent
area: Maidstone
categories: [robbery]
risk: high
identifiers:
  phones: ["+447700900777"]
---
He took the money back.
"""


def test_a_link_to_a_published_alert_is_shown_and_dismissed_on_the_incident_only(console):
    (console.services.alerts_dir / "2026-0099.md").write_text(ALERT_FILE)
    one = console.add(report(phone_numbers="07700 900777"))
    for n in range(12):
        console.add(report(phone_numbers=f"07700 900{n:03d}"))
    console.unlock()
    page = console.client.get(f"/incidents/{one}").text
    assert "Alert 2026-0099" in page and "same phone +44 7700 900777" in page
    data = {"a": "alert 2026-0099", "b": one, "decision": "dismissed"}
    assert console.post("/links/decide", data).status_code == 303
    casework = console.services.keyholder.current().casework
    assert set(casework.all()) == {one}
    assert "Alert 2026-0099" not in console.client.get(f"/incidents/{one}").text


def test_a_caseworker_links_two_incidents_never_suggested_with_a_reason(console):
    one = console.add(report(what_happened="He shouted.", offender_age="30s"))
    other = console.add(report(what_happened="Il a crié.", offender_age="60"))
    later = console.add(report(report_type="follow_up", follows=other, offender_hair="grey"))
    console.unlock()
    assert other not in console.client.get(f"/incidents/{one}").text.split('id="links"')[1][:400]
    reason = "Outreach says the same voice called both workers"
    response = console.post(f"/incidents/{one}/link", {"link_other": later, "link_reason": reason})
    assert response.status_code == 303 and response.headers["location"].endswith("#links")
    casework = console.services.keyholder.current().casework
    for number, partner in ((one, other), (other, one)):
        [entry] = casework.load(number).links
        assert (entry.other, entry.decision, entry.reason) == (partner, "confirmed", reason)
    page = console.client.get(f"/incidents/{other}").text
    assert "Confirmed:" in page and one in page and "linked by a caseworker: Outreach" in page
    series = console.client.get("/links/series").text
    assert one in series and other in series
    entries = [e for e in console.services.audit_log.entries() if e.action == "link"]
    assert [(set(e.targets), e.detail) for e in entries] == [({one, other}, "confirmed by hand")]
    assert all("voice" not in e.detail for e in console.services.audit_log.entries())
    assert verify(console.services.audit_log).ok


def test_linking_by_hand_refuses_bad_input_and_stores_nothing(console):
    one = console.add(report(what_happened="He shouted."))
    follow = console.add(report(report_type="follow_up", follows=one, offender_hair="grey"))
    other = console.add(report(what_happened="He shouted too."))
    console.unlock()
    for data, field in (
        ({"link_other": "UM-NOPE-NOPE-NOPE", "link_reason": "same car"}, "link_other"),
        ({"link_other": follow, "link_reason": "same car"}, "link_other"),
        ({"link_other": one, "link_reason": "same car"}, "link_other"),
        ({"link_other": other, "link_reason": "   "}, "link_reason"),
        ({"link_other": other, "link_reason": "x" * 10_001}, "link_reason"),
    ):
        response = console.post(f"/incidents/{one}/link", data)
        assert response.status_code == 422
        assert f'id="{field}-problem"' in response.text
    assert not console.services.keyholder.current().casework.load(one).links
    assert not [e for e in console.services.audit_log.entries() if e.action == "link"]
