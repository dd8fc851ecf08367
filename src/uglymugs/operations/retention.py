"""``uglymugs retention``: delete what the scheme no longer needs, as the policy says.

The policy is in the settings (``retention_*``; docs/operations.md says why each
default): rejected applications go after 30 days, sealed reports after 6 years unless
something holds them, notify ledger rows after 400 days; sessions, one-time links,
rate counters and idempotency claims go as soon as they expire. A member who leaves
is removed at once by :func:`uglymugs.operations.member_data.forget_member`, which this
sweep uses for rejected applications too.

A report past its years is kept while a :class:`RetentionHolds` names it: the case
store (a report with a case record) and, once it exists, the sharing ledger (a
report shared with a partner). The sweep prints counts and report numbers, never
content; ``dry_run`` counts without deleting.

This works on the local adapters' files (SQLite and the vault directory). On AWS the
same limits are DynamoDB TTL attributes and S3 lifecycle rules set in
``infra/template.yaml`` (see docs/operations.md).

>>> print("\\n".join(apply_retention(settings, [], now=now).lines()))  # doctest: +SKIP
Sessions: 3 expired, removed.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Protocol

from uglymugs.config import Settings
from uglymugs.members.directory import MemberStatus
from uglymugs.operations.layout import open_existing
from uglymugs.operations.member_data import forget_member, has_table
from uglymugs.private_files import sync_directory
from uglymugs.reports.vault.files import LocalReportVault

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

    The case store implements it (every report with a case record); the sharing
    ledger will (every report a partner was sent).
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
    holds: Iterable[RetentionHolds],
    *,
    now: datetime | None = None,
    dry_run: bool = False,
) -> RetentionResult:
    """Remove everything the policy says is past its time; return what went."""
    now = now or datetime.now(UTC)
    policy = RetentionPolicy.from_settings(settings)
    result = RetentionResult(dry_run)
    if settings.state_db.is_file():
        with contextlib.closing(open_existing(settings.state_db)) as connection, connection:
            _sweep_database(connection, policy, now, result)
    held = set().union(*(hold.held_reports() for hold in holds))
    _sweep_vault(LocalReportVault(settings.vault_dir), now - policy.reports_after, held, result)
    return result


def _sweep_database(
    connection: sqlite3.Connection, policy: RetentionPolicy, now: datetime, result: RetentionResult
) -> None:
    rejected = _rejected_before(connection, now - policy.rejected_after)
    result.counts["rejected applications"] = len(rejected)
    if not result.dry_run:
        for member_id in rejected:
            forget_member(connection, member_id)
    limits = [(kind, table, column, now) for kind, table, column in EXPIRING]
    limits += [(kind, table, column, now - policy.ledger_after) for kind, table, column in LEDGER]
    for kind, table, column, before in limits:
        result.counts[kind] = _remove_older(connection, table, column, before, result.dry_run)


def _rejected_before(connection: sqlite3.Connection, before: datetime) -> list[str]:
    """Ids of members rejected (last changed) before ``before``."""
    if not has_table(connection, "members"):
        return []
    rows = connection.execute(
        "SELECT id FROM members WHERE json_extract(record, '$.status') = ? "
        "AND json_extract(record, '$.updated_at') < ?",
        (MemberStatus.REJECTED.value, before.strftime("%Y-%m-%dT%H:%M:%SZ")),
    )
    return [member_id for (member_id,) in rows]


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


def _sweep_vault(
    vault: LocalReportVault, before: datetime, held: set[str], result: RetentionResult
) -> None:
    cutoff = before.strftime("%Y-%m-%dT%H:%M:%SZ")
    for number in vault.numbers():
        report = vault.get(number)
        if report is None or report.received_at >= cutoff:
            continue
        if number in held:
            result.held.append(number)
            continue
        result.reports.append(number)
        if not result.dry_run:
            (vault.vault_dir / f"{number}.json").unlink(missing_ok=True)
    if result.reports and not result.dry_run:
        sync_directory(vault.vault_dir)
