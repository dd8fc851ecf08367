"""Retention removes exactly what the policy says: every kind of record, either side of
each limit (a member's download and closed account: tests/members/test_my_data.py)."""

from __future__ import annotations

import contextlib
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from tests.members.factories import a_member
from uglymugs.cases.store import SealedCase
from uglymugs.cases.store.sqlite import SQLiteCaseStore
from uglymugs.cli import main
from uglymugs.config import Settings
from uglymugs.members.directory import OneTimeToken, Session, timestamp
from uglymugs.members.directory.sqlite import SQLiteMemberDirectory, SQLiteSessionStore
from uglymugs.notify.ledger.sqlite import SQLiteNotificationLedger
from uglymugs.operations.retention import DAYS_PER_YEAR, apply_retention
from uglymugs.reports.claims.sqlite import SQLiteIdempotencyLedger
from uglymugs.reports.numbers import new_report_number
from uglymugs.reports.vault import StoredReport
from uglymugs.reports.vault.files import LocalReportVault

NOW = datetime(2026, 11, 29, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)
MINUTE = timedelta(minutes=1)
REPORT_LIMIT = timedelta(days=6 * DAYS_PER_YEAR)
OLD, YOUNG, HELD = (new_report_number() for _ in range(3))


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def furnish(settings: Settings) -> dict[str, str]:
    """A scheme with every kind of record, one just past its limit and one just within."""
    directory = SQLiteMemberDirectory(settings.state_db)
    members = {
        "rejected_old": a_member("Old", "old@example.org", status="rejected"),
        "rejected_young": a_member("Young", "young@example.org", status="rejected"),
        "approved_old": a_member("Stays", "stays@example.org", status="approved"),
    }
    ages = {"rejected_old": 31 * DAY, "rejected_young": 29 * DAY, "approved_old": 900 * DAY}
    for name, member in members.items():
        directory.add(member.changed(NOW - ages[name]))
    sessions = SQLiteSessionStore(settings.state_db)
    keeper = members["approved_old"].id
    # Each of these writes purges what expired before it: newest first, sessions last.
    sessions.add_hit("check:live", MINUTE, NOW)
    sessions.add_hit("check:gone", MINUTE, NOW - 2 * MINUTE)
    for name, expires in (("live", NOW + MINUTE), ("gone", NOW - MINUTE)):
        sessions.put_session(Session(f"s-{name}", keeper, NOW - DAY, NOW - DAY, expires))
        # Kept 7 days past expiry, to tell "used" or "expired" from "unknown".
        link_expires = expires - timedelta(days=7)
        sessions.put_token(OneTimeToken(f"t-{name}", keeper, "set_password", link_expires))
    ttl = timedelta(hours=24)
    SQLiteIdempotencyLedger(settings.state_db, ttl, lambda: NOW).claim("k-live", "p", YOUNG)
    SQLiteIdempotencyLedger(settings.state_db, ttl, lambda: NOW - ttl - MINUTE).claim(
        "k-gone", "p", OLD
    )
    SQLiteNotificationLedger(settings.state_db)
    with contextlib.closing(sqlite3.connect(settings.state_db)) as connection, connection:
        for name, age in (("gone", 401 * DAY), ("live", 399 * DAY)):
            at = _epoch(NOW - age)
            connection.execute(
                "INSERT INTO notify_deliveries (alert, version, channel, member_id, state, "
                "attempts, updated_at) VALUES (?, '1', 'email', ?, 'sent', 1, ?)",
                (f"A-{name}", keeper, at),
            )
            connection.execute(
                "INSERT INTO notify_plans VALUES (?, '1', 'email', 'new', ?, 1, 0, ?)",
                (f"A-{name}", at, at),
            )
            connection.execute("INSERT INTO notify_sequences VALUES (?, ?)", (at, at))
    vault = LocalReportVault(settings.vault_dir)
    for number, age in (
        (OLD, REPORT_LIMIT + DAY),
        (YOUNG, REPORT_LIMIT - DAY),
        (HELD, 9 * 365 * DAY),
    ):
        vault.put_new(StoredReport(number, "report-k", b"sealed", timestamp(NOW - age)))
    SQLiteCaseStore(settings.state_db).put(SealedCase(HELD, 1, "case-k", b"sealed", "x"))
    return {name: member.id for name, member in members.items()}


def ports(settings: Settings) -> tuple[LocalReportVault, SQLiteMemberDirectory]:
    return LocalReportVault(settings.vault_dir), SQLiteMemberDirectory(settings.state_db)


def rows(settings: Settings, sql: str) -> list[tuple]:
    with contextlib.closing(sqlite3.connect(settings.state_db)) as connection:
        return connection.execute(sql).fetchall()


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(data_dir=tmp_path / "data")


EXPECTED = {
    "rejected applications": 1,
    "sessions": 1,
    "one-time links": 1,
    "rate counters": 1,
    "idempotency claims": 1,
    "notify deliveries": 1,
    "notify plans": 1,
    "notify runs": 1,
}


def test_retention_removes_exactly_what_is_past_each_limit(settings):
    ids = furnish(settings)
    store = SQLiteCaseStore(settings.state_db)
    result = apply_retention(settings, *ports(settings), [store], now=NOW)
    assert result.counts == EXPECTED
    assert result.reports == [OLD]
    assert result.held == [HELD]
    left = {member_id for (member_id,) in rows(settings, "SELECT id FROM members")}
    assert left == {ids["rejected_young"], ids["approved_old"]}
    assert rows(settings, "SELECT token_hash FROM sessions") == [("s-live",)]
    assert rows(settings, "SELECT token_hash FROM one_time_tokens") == [("t-live",)]
    assert [hit[0].split("#")[0] for hit in rows(settings, "SELECT id FROM rate_hits")] == [
        "check:live"
    ]
    assert rows(settings, "SELECT report_number FROM idempotency_claims") == [(YOUNG,)]
    assert rows(settings, "SELECT alert FROM notify_deliveries") == [("A-live",)]
    assert rows(settings, "SELECT alert FROM notify_plans") == [("A-live",)]
    assert len(rows(settings, "SELECT * FROM notify_sequences")) == 1
    assert list(LocalReportVault(settings.vault_dir).numbers()) == sorted([YOUNG, HELD])
    again = apply_retention(settings, *ports(settings), [store], now=NOW)
    assert set(again.counts.values()) == {0} and again.reports == []


def test_a_dry_run_counts_the_same_and_deletes_nothing(settings):
    furnish(settings)
    before = rows(settings, "SELECT count(*) FROM members")
    result = apply_retention(
        settings, *ports(settings), [SQLiteCaseStore(settings.state_db)], now=NOW, dry_run=True
    )
    assert result.counts == EXPECTED and result.reports == [OLD]
    assert rows(settings, "SELECT count(*) FROM members") == before
    assert len(list(LocalReportVault(settings.vault_dir).numbers())) == 3
    assert all(line.count("would remove") == 1 for line in result.lines() if ":" in line[:40])


def test_without_a_hold_a_report_past_its_years_goes(settings):
    furnish(settings)
    result = apply_retention(settings, *ports(settings), [], now=NOW)
    assert sorted(result.reports) == sorted([OLD, HELD])


def test_the_command_prints_counts_and_numbers_never_content(settings, monkeypatch, capsys):
    furnish(settings)
    monkeypatch.setenv("UGLYMUGS_DATA_DIR", str(settings.data_dir))
    assert main(["retention", "--dry-run", "--without-keys"]) == 0
    printed = capsys.readouterr().out
    assert "rejected applications: would remove 1" in printed and OLD in printed
    assert "sealed" not in printed and "example.org" not in printed


class Holds:
    """A case store or sharing ledger, as retention sees it."""

    def __init__(self, *numbers: str) -> None:
        self.numbers = set(numbers)

    def held_reports(self) -> set[str]:
        return self.numbers


def test_reports_and_rejected_applications_go_through_their_ports_on_either_adapter(
    report_storage, member_stores, settings
):
    vault, directory = report_storage.vault, member_stores.directory
    old, young, held = (new_report_number() for _ in range(3))
    for number, age in (
        (old, REPORT_LIMIT + DAY),
        (young, REPORT_LIMIT - DAY),
        (held, REPORT_LIMIT * 2),
    ):
        vault.put_new(StoredReport(number, "report-k", b"sealed", timestamp(NOW - age)))
    gone = a_member("Gone", "gone@example.org", status="rejected").changed(NOW - 31 * DAY)
    stays = a_member("Stays", "stays@example.org", status="rejected").changed(NOW - 29 * DAY)
    directory.add(gone), directory.add(stays)
    result = apply_retention(settings, vault, directory, [Holds(held)], local_rows=False, now=NOW)
    assert result.counts == {"rejected applications": 1}
    assert result.reports == [old] and result.held == [held]
    assert sorted(vault.numbers()) == sorted([young, held])
    assert [member.id for member in directory.members()] == [stays.id]
    assert directory.find("gone@example.org") is None
