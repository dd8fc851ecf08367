"""``uglymugs retention``: delete what the scheme no longer needs, as the policy says.

The policy is in the settings (``retention_*``; docs/operations.md says why each
default): rejected applications go after 30 days, sealed reports after 6 years unless
something holds them, notify ledger rows after 400 days; sessions, one-time links,
rate counters and idempotency claims go as soon as they expire. A member who leaves
is removed at once (:mod:`uglymugs.members.my_data_routes`).

A report past its years is kept while a :class:`RetentionHolds` names it: the case
store (a report with a case record) and the sharing ledger (a report shared with a
partner, or due to be: :mod:`uglymugs.sharing.holds`). Holds are asked only when some
report is past its years (finding what is due opens the reports). The sweep prints
counts and report numbers, never content; ``dry_run`` counts without deleting.

Reports and rejected applications go through their ports, locally and on AWS alike;
the short-lived rows are swept in the local SQLite database, and on AWS are DynamoDB
TTL attributes (deleted versions of reports: an S3 lifecycle rule), both set in
``infra/template.yaml`` (see docs/operations.md).

>>> print("\\n".join(apply_retention(settings, vault, directory, []).lines()))  # doctest: +SKIP
rejected applications: removed 1
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol

from uglymugs.config import Settings
from uglymugs.members.directory import MemberDirectory, MemberStatus, timestamp
from uglymugs.operations.layout import open_existing
from uglymugs.reports.vault import ReportVault

DAYS_PER_YEAR = 365.25

# What expires on its own, by table and its epoch-seconds expiry column (the DynamoDB
# TTL attribute of the same item on AWS).
EXPIRING = (
    ("sessions", "sessions", "expiration"),
    ("one-time links", "one_time_tokens", "expiration"),
    ("rate counters", "rate_hits", "expiration"),
    ("idempotency claims", "idempotency_claims", "expiration"),
)
# Notify ledger rows and the epoch-seconds column that says how old they are.
LEDGER = (
    ("notify deliveries", "notify_deliveries", "updated_at"),
    ("notify plans", "notify_plans", "updated_at"),
    ("notify runs", "notify_sequences", "done_at"),
)


class RetentionHolds(Protocol):
    """Something that needs reports kept past their years: an open case, a share.

    The case store implements it (every report with a case record), and
    :class:`~uglymugs.sharing.holds.SharingHolds` (every report a partner was sent,
    or that is due to be shared).
    """

    def held_reports(self) -> set[str]:
        """Report numbers that must not be deleted, whatever their age."""
        ...


@dataclass(frozen=True)
class RetentionPolicy:
    """How long each kind of record is kept (from :class:`~uglymugs.config.Settings`)."""

    rejected_after: timedelta
    reports_after: timedelta
    ledger_after: timedelta

    @classmethod
    def from_settings(cls, settings: Settings) -> RetentionPolicy:
        return cls(
            rejected_after=timedelta(days=settings.retention_rejected_days),
            reports_after=timedelta(days=settings.retention_report_years * DAYS_PER_YEAR),
            ledger_after=timedelta(days=settings.retention_ledger_days),
        )


@dataclass
class RetentionResult:
    """What was (or, on a dry run, would be) removed: counts by kind, report numbers."""

    dry_run: bool
    counts: dict[str, int] = field(default_factory=dict)
    reports: list[str] = field(default_factory=list)
    held: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        verb = "would remove" if self.dry_run else "removed"
        lines = [f"{kind}: {verb} {count}" for kind, count in self.counts.items()]
        lines.append(f"reports past their years: {verb} {len(self.reports)}")
        lines += [f"  {number}" for number in self.reports]
        if self.held:
            lines.append(
                f"reports past their years kept, held by a case or share: {len(self.held)}"
            )
            lines += [f"  {number}" for number in self.held]
        return lines


def apply_retention(
    settings: Settings,
    vault: ReportVault,
    directory: MemberDirectory,
    holds: Iterable[RetentionHolds],
    *,
    local_rows: bool = True,
    now: datetime | None = None,
    dry_run: bool = False,
) -> RetentionResult:
    """Remove everything the policy says is past its time; return what went.

    Reports and rejected applications go through their ports (local or AWS alike);
    ``local_rows`` also sweeps the SQLite rows that DynamoDB TTL removes on AWS.
    """
    now = now or datetime.now(UTC)
    policy = RetentionPolicy.from_settings(settings)
    result = RetentionResult(dry_run)
    # Holds first: finding them may fail (a wrong passphrase) before anything is removed.
    old = _past_years(vault, now - policy.reports_after)
    held = set().union(*(hold.held_reports() for hold in holds)) if old else set()
    rejected = _rejected_before(directory, now - policy.rejected_after)
    result.counts["rejected applications"] = len(rejected)
    if not dry_run:
        for member_id in rejected:
            directory.remove(member_id)
    if local_rows and settings.state_db.is_file():
        with contextlib.closing(open_existing(settings.state_db)) as connection, connection:
            _sweep_rows(connection, policy, now, result)
    _sweep_vault(vault, old, held, result)
    return result


def has_table(connection: sqlite3.Connection, table: str) -> bool:
    row = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
    ).fetchone()
    return row is not None


def _rejected_before(directory: MemberDirectory, before: datetime) -> list[str]:
    """Ids of members rejected (last changed) before ``before``."""
    cutoff = timestamp(before)
    return [
        member.id
        for member in directory.members()
        if member.status == MemberStatus.REJECTED and member.updated_at < cutoff
    ]


def _sweep_rows(
    connection: sqlite3.Connection, policy: RetentionPolicy, now: datetime, result: RetentionResult
) -> None:
    limits = [(kind, table, column, now) for kind, table, column in EXPIRING]
    limits += [(kind, table, column, now - policy.ledger_after) for kind, table, column in LEDGER]
    for kind, table, column, before in limits:
        result.counts[kind] = _remove_older(connection, table, column, before, result.dry_run)


def _remove_older(
    connection: sqlite3.Connection, table: str, column: str, before: datetime, dry_run: bool
) -> int:
    if not has_table(connection, table):
        return 0
    where = f"FROM {table} WHERE {column} < ?"
    if dry_run:
        return connection.execute(
            f"SELECT count(*) {where}", (int(before.timestamp()),)
        ).fetchone()[0]
    return connection.execute(f"DELETE {where}", (int(before.timestamp()),)).rowcount


def _past_years(vault: ReportVault, before: datetime) -> list[str]:
    """Numbers of the reports received before ``before`` (from the vault's metadata)."""
    cutoff = timestamp(before)
    old = []
    for number in vault.numbers():
        report = vault.get(number)
        if report is not None and report.received_at < cutoff:
            old.append(number)
    return old


def _sweep_vault(
    vault: ReportVault, old: list[str], held: set[str], result: RetentionResult
) -> None:
    for number in old:
        if number in held:
            result.held.append(number)
            continue
        result.reports.append(number)
        if not result.dry_run:
            vault.delete(number)
