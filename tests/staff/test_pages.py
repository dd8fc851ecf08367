"""Reports entered by staff, member vetting, publishing status, the queue's filters."""

import json

import pytest
from nacl.public import SealedBox

from tests.members.factories import a_member
from tests.staff.conftest import PASSPHRASE, report
from uglymugs.crypto.keys import unlock_report_keys
from uglymugs.members.directory.sqlite import SQLiteMemberDirectory, SQLiteSessionStore
from uglymugs.members.passwords import TEST_PARAMETERS
from uglymugs.members.services import MemberServices
from uglymugs.messaging.mailer.outbox import OutboxMailer
from uglymugs.staff.queue import PAGE_SIZE


@pytest.fixture
def with_members(console, clock, tmp_path):
    db = tmp_path / "members.sqlite3"
    mailer = OutboxMailer(tmp_path / "outbox", notice=lambda _line: None, clock=clock)
    directory = SQLiteMemberDirectory(db)
    services = MemberServices(
        directory,
        SQLiteSessionStore(db),
        mailer,
        TEST_PARAMETERS,
        "https://uglymugs.example",
        clock,
    )
    console.services.members = services.staff_actions
    directory.add(
        a_member(
            organisation="Safe Project",
            contact_role="Outreach lead",
            membership_type="project",
            service_users=("street",),
        )
    )
    return console


def test_a_report_entered_by_staff_is_sealed_marked_and_shown(console):
    console.unlock()
    response = console.post(
        "/reports/new",
        {
            "report_type": "full",
            "reporter": "self",
            "what_happened": "phoned in, canary-44",
            "categories": ["theft"],
            "consent_alert": "yes",
        },
    )
    assert response.status_code == 303
    number = response.headers["location"].rsplit("/", 1)[1]
    stored = console.vault.get(number)
    assert b"canary-44" not in stored.ciphertext
    keys = unlock_report_keys(console.data_dir / "keys", PASSPHRASE)
    content = json.loads(SealedBox(keys[stored.key_id]).decrypt(stored.ciphertext))
    assert content["entered_by"] == "Sam" and content["answers"]["categories"] == ["theft"]
    assert "Entered by staff (Sam)" in console.client.get(f"/incidents/{number}").text


def test_a_bad_staff_entry_is_told_beside_each_field_and_nothing_is_stored(console):
    console.unlock()
    response = console.post(
        "/reports/new",
        {
            "report_type": "full",
            "reporter": "self",
            "incident_date": "yesterday",
            "categories": ["dancing"],
        },
    )
    assert response.status_code == 422
    for field in ("incident_date", "categories", "what_happened"):
        assert f'id="{field}-problem"' in response.text
    assert list(console.vault.numbers()) == []
    follow_up = console.post(
        "/reports/new", {"report_type": "follow_up", "reporter": "self", "follows": "not a number"}
    )
    assert follow_up.status_code == 422 and 'id="follows-problem"' in follow_up.text


def test_vetting_shows_every_answer_and_needs_a_reason_to_reject(with_members):
    console = with_members
    console.unlock()
    front = console.client.get("/").text
    assert "new applications" in front
    page = console.client.get("/members").text
    for answer in (
        "DaveM",
        "dave@example.org",
        "Safe Project",
        "Outreach lead",
        "Street-based sex workers",
    ):
        assert answer in page
    assert console.services.history("DaveM")[-1].action == "show-member"
    refused = console.post("/members/DaveM/reject", {"reason": ""})
    assert refused.status_code == 422 and "Give a reason" in refused.text
    assert console.services.members.directory.find("DaveM").status == "pending"
    assert console.post("/members/DaveM/reject", {"reason": "not a project"}).status_code == 303
    assert console.services.members.directory.find("DaveM").status == "rejected"
    entry = console.services.history("DaveM")[-1]
    assert (entry.action, entry.who, entry.detail) == ("reject", "Sam", "not a project")
    assert console.post("/members/DaveM/suspend", {"reason": "x"}).status_code == 422
    assert console.post("/members/DaveM/explode", {"reason": "x"}).status_code == 422


def test_the_publishing_page_says_when_nothing_was_published(console):
    console.unlock()
    page = console.client.get("/publishing").text
    assert '<meta name="robots" content="noindex, nofollow, noarchive">' in page  # never listed
    assert "Nothing has been published yet." in page
    assert "No notifications recorded yet." in page


def test_the_queue_filters_sorts_and_pages(console):
    for day in range(1, PAGE_SIZE + 6):
        console.add(
            report(
                what_happened=f"r{day}",
                incident_date=f"2026-10-{day % 28 + 1:02d}",
                consent_alert="yes" if day % 2 else "no",
                contact_preference="phone" if day % 3 == 0 else "none",
                categories=["theft"] if day % 5 == 0 else ["threats"],
            ),
            received_at=f"2026-11-{day % 28 + 1:02d}T10:{day % 60:02d}:00Z",
        )
    console.unlock()
    first = console.client.get("/queue").text
    assert f"Incidents shown: {PAGE_SIZE + 5}" in first and "Next page" in first
    assert "Previous page" in console.client.get("/queue?page=2").text
    assert "Incidents shown: 11" in console.client.get("/queue?category=theft").text
    assert "Incidents shown: 18" in console.client.get("/queue?wants_contact=yes").text
    yes = console.client.get("/queue?consent=consent_alert&consent_value=yes").text
    assert "Incidents shown: 28" in yes
    dated = console.client.get("/queue?date_from=2026-10-01&date_to=2026-10-02").text
    assert "Incidents shown: 3" in dated  # days 1, 28 and 29
    assert console.client.get("/queue?status=bogus&page=-3&sort=x").status_code == 200


def test_the_publishing_page_counts_per_alert_version_and_channel_never_who(console, tmp_path):
    from datetime import UTC, datetime

    from uglymugs.notify.ledger import Plan
    from uglymugs.notify.ledger.sqlite import SQLiteNotificationLedger

    ledger = SQLiteNotificationLedger(tmp_path / "notify.sqlite3")
    when = datetime(2026, 11, 24, tzinfo=UTC)
    ledger.save_plan(Plan("2026-0007", "a" * 64, "email", "new", 3, 12, 2, when))
    console.services.notify_ledger = ledger
    console.unlock()
    page = console.client.get("/publishing").text
    row = page.split("2026-0007", 1)[1].split("</tr>", 1)[0]
    cells = [cell.split("</td>")[0] for cell in row.split("<td>")[1:]]
    assert cells == ["aaaaaaaa", "new", "email", "14", "0", "2", "0", "0", "12"]
    assert "@" not in page
