"""No staff command lets member, report or alert data drive the terminal.

Every command that prints what a stranger typed runs here with hostile values in every
field it shows (clear screen, window title, an OSC 8 link, a C1 control, a
right-to-left override, Rich markup), and its whole output must hold no raw control,
bidi or invisible formatting character: each is shown as an escape instead.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from nacl.public import PublicKey, SealedBox

from tests.alerts.alert_files import alert_text
from tests.members.factories import a_member
from uglymugs.cli import main
from uglymugs.crypto import TEST_KDF, create_keys
from uglymugs.members.directory.sqlite import SQLiteMemberDirectory
from uglymugs.notify.ledger import Plan
from uglymugs.notify.ledger.sqlite import SQLiteNotificationLedger
from uglymugs.reports.numbers import new_report_number
from uglymugs.reports.vault import StoredReport
from uglymugs.reports.vault.files import LocalReportVault
from uglymugs.safe_text import unsafe_characters

pytestmark = pytest.mark.attack("terminal escapes")

PASSPHRASE = "a long passphrase for tests"
HOSTILE = (
    "\x1b[2J\x1b[H"  # clear the screen
    "\x1b]0;owned\x07"  # retitle the window
    "\x1b]8;;https://evil.example/\x1b\\click me\x1b]8;;\x1b\\"  # OSC 8 link
    "\x9b31m"  # C1 control sequence introducer
    "\u202eevil"  # right-to-left override
    "[link=https://evil.example/]markup[/link]"  # Rich markup
)


def hostile(text: str) -> str:
    return f"{text} {HOSTILE}"


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    data = tmp_path / "data"
    monkeypatch.setenv("UGLYMUGS_DATA_DIR", str(data))
    monkeypatch.setenv("UGLYMUGS_KEY_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("UGLYMUGS_SITE_URL", "https://uglymugs.example")
    monkeypatch.setenv("COLUMNS", "300")
    for name in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(name, raising=False)
    for name in (
        "UGLYMUGS_MEMBERS_TABLE",
        "UGLYMUGS_SESSIONS_TABLE",
        "UGLYMUGS_MAIL_FROM",
        "UGLYMUGS_NOTIFY_LEDGER_TABLE",
        "UGLYMUGS_BUNDLE_BUCKET",
    ):
        monkeypatch.delenv(name, raising=False)
    return data


def run(capsys, *argv) -> tuple[int, str]:
    code = main([str(arg) for arg in argv])
    out, err = capsys.readouterr()
    return code, out + err


def assert_safe(output: str, *, shown: bool = True) -> None:
    """No raw control character, no markup read as markup; the hostile value ``shown``."""
    assert unsafe_characters(output, allowed="\n") == "", repr(output)
    assert "evilmarkup" not in output  # Rich would have dropped [link=…] and [/link]
    if shown:
        assert "\\x1b]0;owned\\x07" in output or "\\u001b]0;owned\\u0007" in output


@pytest.fixture
def members(data_dir):
    directory = SQLiteMemberDirectory(data_dir / "state.sqlite3")
    directory.add(
        a_member(
            hostile("Applicant"),
            "a1@example.org",
            membership_type="project",
            organisation=hostile("Basis"),
        )
    )
    member = a_member("Member2", "m2@example.org", status="approved", organisation=HOSTILE)
    failing = member.with_channel_failing("email", hostile("bounce"), datetime.now(UTC))
    directory.add(failing)
    return directory


@pytest.mark.parametrize(
    "argv",
    [
        ["members", "list"],
        ["members", "list", "--pending"],
        ["members", "approve", hostile("Applicant")],
        ["members", "suspend", hostile("Applicant"), "--reason", "x"],  # pending: refused
        ["members", "approve", hostile("nobody")],
        ["members", "show", hostile("Applicant")],
        ["members", "show", hostile("Applicant"), "--json"],
        ["members", "show", hostile("nobody")],
    ],
)
def test_members_commands(members, capsys, argv):
    _, output = run(capsys, *argv)
    assert_safe(output)


def test_cases_and_audit_commands(reports, capsys, monkeypatch):
    monkeypatch.setenv("UGLYMUGS_STAFF_NAME", hostile("Sam"))
    consented = reports[0]
    assert run(capsys, "cases", "note", consented, hostile("a note"))[0] == 0
    assert run(capsys, "cases", "assign", consented, hostile("Alex"))[0] == 0
    for argv in (
        ["cases", "show", consented],
        ["cases", "show", consented, "--json"],
        ["cases", "list"],
        ["audit", "log"],
        ["audit", "log", "--json"],
        ["reports", "list", "--json"],
    ):
        _, output = run(capsys, *argv)
        assert_safe(output)


def report(answers: dict, follows: str | None = None) -> dict:
    return {
        "schema": "uglymugs.report/1",
        "report_type": "full",
        "follows": follows,
        "reporter": "project",
        "language": "en",
        "answers": answers,
    }


@pytest.fixture
def reports(data_dir):
    public = create_keys(data_dir / "keys", PASSPHRASE, kdf=TEST_KDF)
    vault = LocalReportVault(data_dir / "vault")

    def store(content: dict) -> str:
        number = new_report_number()
        box = SealedBox(PublicKey(public.report_public_key))
        sealed = box.encrypt(json.dumps(content).encode())
        vault.put_new(StoredReport(number, public.report_key_id, sealed, "2026-11-21T08:00:00Z"))
        return number

    answers = {
        "project_name": hostile("Project"),
        "incident_date": "2026-11-20",
        "town_or_area": hostile("Leeds"),
        "what_happened": hostile("He refused to pay.\nThen he left."),
        "contact_method": ["online_ad", hostile("pigeon")],
        "offender_hair": hostile("dark"),
        "consent_alert": "yes",
        "victim_agreed": "yes",
        hostile("legacy_field"): hostile("kept"),
    }
    consented = store(report(answers))
    refused = store(report({**answers, "consent_alert": hostile("maybe")}))
    follow_up = store(report({"what_happened": HOSTILE}, follows=hostile("UM-1234")))
    return consented, refused, follow_up


def test_reports_and_drafting_commands(reports, tmp_path, capsys):
    consented, refused, follow_up = reports
    alerts = tmp_path / "alerts"
    alerts.mkdir()
    for argv in (
        ["reports", "list"],
        ["reports", "show", consented],
        ["reports", "show", consented, "--json"],
        ["reports", "show", follow_up],
        ["reports", "show", hostile("UM")],
    ):
        _, output = run(capsys, *argv)
        assert_safe(output)
    # A hostile answer is not an explicit one: the refusal names no answer at all.
    code, output = run(capsys, "alerts", "new", "--from-report", refused, "--dir", alerts)
    assert code == 1 and "not answered" in output
    assert_safe(output, shown=False)
    code, output = run(capsys, "alerts", "new", "--from-report", consented, "--dir", alerts)
    assert code == 0
    assert_safe(output, shown=False)


@pytest.fixture
def hostile_alerts(tmp_path):
    alerts = tmp_path / "alerts"
    alerts.mkdir()
    changes = {
        "area": hostile("Leeds"),
        "region": hostile("kent"),
        "offender": {"clothing": hostile("hoodie")},
        "identifiers": {"usernames": [hostile("DaveM")]},
    }
    (alerts / "2026-0042.md").write_text(alert_text(changes, hostile("He left.")), "utf-8")
    (alerts / f"{hostile('2026-0043').replace('/', '_')}.md").write_text(alert_text(), "utf-8")
    text = alert_text().replace("risk: high\n", f"risk: high\n{json.dumps(HOSTILE)}: red\n")
    (alerts / "2026-0044.md").write_text(text, "utf-8")
    return alerts


def test_alerts_check_and_publish(data_dir, hostile_alerts, capsys):
    create_keys(data_dir / "keys", PASSPHRASE, kdf=TEST_KDF)
    for argv in (
        ["alerts", "check", hostile_alerts],
        ["alerts", "check", hostile_alerts / hostile("missing")],
        ["alerts", "verify", hostile_alerts / hostile("bundle.json")],
        ["publish", "--alerts", hostile_alerts, "--no-site", "--no-notify"],
    ):
        code, output = run(capsys, *argv)
        assert code == 1
        assert_safe(output)


def test_notify_status(data_dir, capsys):
    create_keys(data_dir / "keys", PASSPHRASE, kdf=TEST_KDF)
    ledger = SQLiteNotificationLedger(data_dir / "state.sqlite3")
    now = datetime(2026, 11, 23, tzinfo=UTC)
    ledger.save_plan(Plan(hostile("2026-0042"), HOSTILE, hostile("email"), HOSTILE, 1, 3, 0, now))
    for argv in (["notify", "status"], ["notify", "status", hostile("2026-0099")]):
        _, output = run(capsys, *argv)
        assert_safe(output)
