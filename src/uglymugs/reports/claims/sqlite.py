"""Idempotency claims in SQLite (the local adapter of :class:`IdempotencyLedger`).

A retried submission must get the report number of the first attempt, even when
both arrive at once: the claim is one ``BEGIN IMMEDIATE`` transaction, which SQLite
runs one at a time across threads and processes. A row holds only the hashed key,
the payload digest, the report number and when the claim expires.

The database is in write-ahead-log mode and each thread keeps its connection open: a
claim then costs one sync of the log (``synchronous=FULL``, so a committed claim
survives a power cut), where a rollback journal opened afresh each time cost four
syncs and a directory update, and made the report API half as fast as the write of
the report itself (``benchmarks/report_api_load.py``).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from uglymugs.reports.claims import IDEMPOTENCY_TTL, IdempotencyClaim, UnknownClaimError, utc_now
from uglymugs.sqlite_transactions import ThreadConnections, create_private_database

_SCHEMA = """
CREATE TABLE IF NOT EXISTS idempotency_claims (
    id TEXT PRIMARY KEY,
    payload_digest TEXT NOT NULL,
    report_number TEXT NOT NULL,
    expiration INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS idempotency_claims_expiration ON idempotency_claims (expiration);
"""


class SQLiteIdempotencyLedger:
    """Claims in the ``idempotency_claims`` table of ``db_path``; expired ones are purged."""

    def __init__(
        self,
        db_path: Path,
        ttl: timedelta = IDEMPOTENCY_TTL,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.db_path = Path(db_path)
        self.ttl = ttl
        self.clock = clock
        create_private_database(self.db_path, _SCHEMA, write_ahead_log=True)
        self._connections = ThreadConnections(self.db_path)

    def claim(self, key_digest: str, payload_digest: str, report_number: str) -> IdempotencyClaim:
        now = self.clock()
        with self._connections.transaction() as connection:
            connection.execute(
                "DELETE FROM idempotency_claims WHERE expiration < ?", (_epoch(now),)
            )
            inserted = connection.execute(
                "INSERT OR IGNORE INTO idempotency_claims VALUES (?, ?, ?, ?)",
                (key_digest, payload_digest, report_number, _epoch(now + self.ttl)),
            ).rowcount
            bound_payload, bound_number = connection.execute(
                "SELECT payload_digest, report_number FROM idempotency_claims WHERE id = ?",
                (key_digest,),
            ).fetchone()
        return IdempotencyClaim(bound_number, bound_payload, created_now=inserted == 1)

    def rebind(self, key_digest: str, report_number: str) -> None:
        with self._connections.transaction() as connection:
            updated = connection.execute(
                "UPDATE idempotency_claims SET report_number = ? WHERE id = ? AND expiration >= ?",
                (report_number, key_digest, _epoch(self.clock())),
            ).rowcount
        if updated != 1:
            raise UnknownClaimError("no live claim for this idempotency key")


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def live_claim_numbers(connection: sqlite3.Connection, now: datetime) -> set[str]:
    """Report numbers of the claims still live at ``now``, read from ``connection``.

    For ``uglymugs doctor`` and backups, which compare the ledger with the vault;
    a database without the table has no claims.
    """
    if not _has_claims_table(connection):
        return set()
    rows = connection.execute(
        "SELECT report_number FROM idempotency_claims WHERE expiration >= ?", (_epoch(now),)
    )
    return {number for (number,) in rows}


def forget_claims(connection: sqlite3.Connection, report_numbers: set[str]) -> int:
    """Delete the claims bound to ``report_numbers``; how many went.

    Only a backup does this, to its own copy of the ledger, for claims whose report
    was never written: a retry against the restored scheme then claims afresh.
    """
    if not report_numbers or not _has_claims_table(connection):
        return 0
    deleted = connection.executemany(
        "DELETE FROM idempotency_claims WHERE report_number = ?",
        [(number,) for number in sorted(report_numbers)],
    ).rowcount
    connection.commit()
    return deleted


def _has_claims_table(connection: sqlite3.Connection) -> bool:
    found = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'idempotency_claims'"
    ).fetchone()
    return found is not None
