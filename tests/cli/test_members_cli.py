"""``uglymugs members`` against the data directory's SQLite directory and outbox."""

import json
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from tests.members.factories import a_member
from uglymugs.cli import main
from uglymugs.members.directory.sqlite import SQLiteMemberDirectory
from uglymugs.members.passwords import TEST_PARAMETERS
from uglymugs.messaging.mailer.outbox import OutboxMailer


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    data = tmp_path / "data"
    monkeypatch.setenv("UGLYMUGS_DATA_DIR", str(data))
    monkeypatch.setenv("UGLYMUGS_SITE_URL", "https://uglymugs.example")
    for name in ("UGLYMUGS_MEMBERS_TABLE", "UGLYMUGS_SESSIONS_TABLE", "UGLYMUGS_MAIL_FROM"):
        monkeypatch.delenv(name, raising=False)
    directory = SQLiteMemberDirectory(data / "state.sqlite3")
    directory.add(a_member("Pending1", "p1@example.org"))
    directory.add(
        a_member(
            "Member2",
            "m2@example.org",
            status="approved",
            password_hash=TEST_PARAMETERS.hash("a long passphrase"),
        )
    )
    return data


def test_list_shows_members_but_never_password_hashes(data_dir, capsys):
    assert main(["members", "list"]) == 0
    out = capsys.readouterr().out
    assert "Pending1" in out and "Member2" in out
    assert "argon2" not in out and "@example.org" not in out
    assert main(["members", "list", "--pending"]) == 0
    out = capsys.readouterr().out
    assert "Pending1" in out and "Member2" not in out


def test_approve_mails_a_set_password_link(data_dir, capsys):
    assert main(["members", "approve", "pending1"]) == 0
    captured = capsys.readouterr()
    assert "Pending1 is now approved" in captured.out
    assert "outbox" in captured.err and "token" not in captured.err
    (message,) = OutboxMailer(data_dir / "outbox").messages()
    assert message["To"] == "p1@example.org"
    text = message.get_body(("plain",)).get_content()
    assert "https://uglymugs.example/members/set-password/#token=" in text
    directory = SQLiteMemberDirectory(data_dir / "state.sqlite3")
    assert directory.find("Pending1").status == "approved"


def test_suspend_reinstate_and_reject(data_dir, capsys):
    assert main(["members", "suspend", "Member2", "--reason", "threats to a project"]) == 0
    assert main(["members", "reinstate", "Member2"]) == 0
    assert main(["members", "reject", "Pending1", "--reason", "not a sex worker project"]) == 0
    directory = SQLiteMemberDirectory(data_dir / "state.sqlite3")
    assert directory.find("Member2").status == "approved"
    assert directory.find("Pending1").status == "rejected"
    from uglymugs.audit.log.sqlite import SQLiteAuditLog

    entries = SQLiteAuditLog(data_dir / "state.sqlite3").entries()
    assert [(e.action, e.targets, e.detail) for e in entries] == [
        ("suspend", ("Member2",), "threats to a project"),
        ("reinstate", ("Member2",), ""),
        ("reject", ("Pending1",), "not a sex worker project"),
    ]


@pytest.mark.parametrize("action", ["reject", "suspend"])
def test_rejecting_or_suspending_needs_a_reason_and_changes_nothing_without(
    data_dir, capsys, action
):
    username = "Pending1" if action == "reject" else "Member2"
    assert main(["members", action, username]) == 1
    assert capsys.readouterr().err.strip().count("\n") == 0
    before = "pending" if action == "reject" else "approved"
    assert SQLiteMemberDirectory(data_dir / "state.sqlite3").find(username).status == before


def test_changes_that_do_not_apply_fail_with_one_line(data_dir, capsys):
    assert main(["members", "suspend", "Pending1", "--reason", "x"]) == 1
    assert "Pending1 is pending" in capsys.readouterr().err
    assert main(["members", "approve", "nobody"]) == 1
    assert "no member" in capsys.readouterr().err


def test_list_shows_failing_channels_without_addresses_or_numbers(data_dir, capsys, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    directory = SQLiteMemberDirectory(data_dir / "state.sqlite3")
    member = directory.find("Member2")
    when = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
    failing = member.with_channel_failing("email", "permanent bounce", when)
    directory.save(
        replace(failing.with_channel_failing("sms", "opted out", when), mobile="+447700900123")
    )
    assert main(["members", "list"]) == 0
    out = capsys.readouterr().out
    assert "failing" in out
    assert "email: permanent bounce 2026-11-23" in out and "sms: opted out 2026-11-23" in out
    assert "@example.org" not in out and "7700" not in out


def test_show_prints_every_answer_and_is_audited(data_dir, capsys, monkeypatch):
    monkeypatch.setenv("UGLYMUGS_STAFF_NAME", "Sam")
    directory = SQLiteMemberDirectory(data_dir / "state.sqlite3")
    directory.add(
        a_member(
            "Basis1",
            "team@basis.example.org",
            membership_type="project",
            organisation="Basis Yorkshire",
            contact_role="Outreach worker",
            service_users=("street", "indoor"),
            monitoring={"work": "street", "gender": "woman"},
            password_hash=TEST_PARAMETERS.hash("a long passphrase"),
        )
    )
    assert main(["members", "show", "basis1"]) == 0
    out = capsys.readouterr().out
    for expected in (
        "project",
        "Basis Yorkshire",
        "team@basis.example.org",
        "Outreach worker",
        "street, indoor",
        "gender: woman",
    ):
        assert expected in out, expected
    assert "argon2" not in out
    assert main(["members", "show", "Basis1", "--json"]) == 0
    answers = json.loads(capsys.readouterr().out)
    assert answers["role"] == "Outreach worker" and answers["monitoring"]["work"] == "street"
    assert "password_hash" not in answers and "join_digest" not in answers
    assert main(["members", "approve", "Basis1"]) == 0
    capsys.readouterr()
    assert main(["audit", "log", "--json", "--target", "Basis1"]) == 0
    entries = json.loads(capsys.readouterr().out)["entries"]
    assert [(e["who"], e["action"]) for e in entries] == [
        ("Sam", "show-member"),
        ("Sam", "show-member"),
        ("Sam", "approve"),
    ]


def test_show_of_an_unknown_member_is_one_line(data_dir, capsys):
    assert main(["members", "show", "nobody"]) == 1
    assert capsys.readouterr().err.count("\n") == 1
