"""The notification ledger in SQLite (the local adapter).

In the data directory's ``state.sqlite3``. A claim is one ``BEGIN IMMEDIATE``
transaction over a batch: each key is inserted, or taken over where the rule of
:func:`uglymugs.notify.ledger.claimable` allows, and the row count of that one
statement says whether this run got it. Outcomes are one transaction per call,
whatever the number of keys, so a batch is recorded all at once or not at all.

The database is in write-ahead-log mode and each thread keeps its connection open for
the ledger's life, as the report claims do (:mod:`uglymugs.reports.claims.sqlite`): a
commit then syncs the log once (``synchronous=FULL``, so nothing committed is lost in
a power cut). A connection opened and closed per transaction cost five syncs a
commit: closing checkpointed the log into the database, since no other connection
had read (an idle one opened beside them never had).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from uglymugs.members.directory import epoch, from_epoch
from uglymugs.notify.ledger import (
    CLAIM_LEASE,
    Delivery,
    DeliveryKey,
    DeliveryState,
    Plan,
    delivery_record,
)
from uglymugs.sqlite_transactions import ThreadConnections, create_private_database

_SCHEMA = """
CREATE TABLE IF NOT EXISTS notify_deliveries (
    alert TEXT NOT NULL,
    version TEXT NOT NULL,
    channel TEXT NOT NULL,
    member_id TEXT NOT NULL,
    state TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    lease_until INTEGER,
    next_attempt INTEGER,
    error TEXT,
    PRIMARY KEY (alert, version, channel, member_id)
);
CREATE TABLE IF NOT EXISTS notify_plans (
    alert TEXT NOT NULL,
    version TEXT NOT NULL,
    channel TEXT NOT NULL,
    kind TEXT NOT NULL,
    sequence INTEGER NOT NULL,
    recipients INTEGER NOT NULL,
    skipped INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (alert, version, channel)
);
CREATE TABLE IF NOT EXISTS notify_sequences (
    sequence INTEGER PRIMARY KEY,
    done_at INTEGER NOT NULL
);
"""

# One statement claims a batch: each row is inserted, or taken over where the rule of
# :func:`uglymugs.notify.ledger.claimable` allows; RETURNING names the rows this run got.
_CLAIM_ROW = "(?, ?, ?, ?, 'sending', 1, ?, ?)"
_CLAIM = """
INSERT INTO notify_deliveries
    (alert, version, channel, member_id, state, attempts, updated_at, lease_until)
VALUES {rows}
ON CONFLICT (alert, version, channel, member_id) DO UPDATE SET
    state = 'sending', attempts = attempts + 1, updated_at = excluded.updated_at,
    lease_until = excluded.lease_until, next_attempt = NULL
WHERE (state = 'failed' AND (next_attempt IS NULL OR next_attempt <= excluded.updated_at))
   OR (state = 'sending' AND (lease_until IS NULL OR lease_until <= excluded.updated_at))
RETURNING alert, version, channel, member_id
"""
_ROWS_A_STATEMENT = 100  # keys in one statement (6 parameters each)
# An outcome: one statement for a call's members of one alert version and channel.
_UPDATE = """
UPDATE notify_deliveries SET state = ?, updated_at = ?, error = ?, next_attempt = ?,
    lease_until = NULL
WHERE alert = ? AND version = ? AND channel = ? AND member_id IN ({members})
"""


class SQLiteNotificationLedger:
    """:class:`~uglymugs.notify.ledger.NotificationLedger` in a SQLite file."""

    record_limit = 10_000  # one transaction holds any number; this only bounds its length

    def __init__(self, db_path: Path) -> None:
        self.db_path = Path(db_path)
        # Write-ahead log (as the report claims keep the same file): a commit syncs
        # the log once, where a rollback journal synced three times.
        create_private_database(self.db_path, _SCHEMA, write_ahead_log=True)
        self._connections = ThreadConnections(self.db_path)

    def deliveries(self, alert: str, version: str) -> dict[DeliveryKey, Delivery]:
        rows = self._query(
            "SELECT channel, member_id, state, attempts, updated_at, lease_until, next_attempt,"
            " error FROM notify_deliveries WHERE alert = ? AND version = ?",
            (alert, version),
        )
        found = {}
        moments = _Moments()  # a batch's rows share their times: each converted once
        for channel, member_id, state, attempts, updated, lease, next_attempt, error in rows:
            key = DeliveryKey(alert, version, channel, member_id)
            found[key] = Delivery(
                key,
                _STATES[state],
                attempts,
                moments[updated],
                moments[lease] if lease is not None else None,
                moments[next_attempt] if next_attempt is not None else None,
                error,
            )
        return found

    def claim(
        self, keys: Sequence[DeliveryKey], now: datetime, lease: timedelta = CLAIM_LEASE
    ) -> list[DeliveryKey]:
        stamp, until = epoch(now), epoch(now + lease)
        got: set[tuple[str, str, str, str]] = set()
        with self._connections.transaction() as connection:
            for start in range(0, len(keys), _ROWS_A_STATEMENT):
                part = keys[start : start + _ROWS_A_STATEMENT]
                rows = ", ".join([_CLAIM_ROW] * len(part))
                parameters = [
                    value
                    for k in part
                    for value in (k.alert, k.version, k.channel, k.member_id, stamp, until)
                ]
                got.update(connection.execute(_CLAIM.format(rows=rows), parameters).fetchall())
        return [k for k in keys if (k.alert, k.version, k.channel, k.member_id) in got]

    def record_sent(self, keys: Iterable[DeliveryKey], now: datetime) -> None:
        self._update(keys, "sent", now, None, None)

    def record_failed(
        self, keys: Iterable[DeliveryKey], now: datetime, error: str, retry_at: datetime | None
    ) -> None:
        state = "failed" if retry_at is not None else "gave_up"
        self._update(keys, state, now, error, retry_at)

    def release(self, alert: str, version: str, now: datetime) -> int:
        with self._connections.transaction() as connection:
            cursor = connection.execute(
                "UPDATE notify_deliveries SET lease_until = ?"
                " WHERE alert = ? AND version = ? AND state = 'sending'",
                (epoch(now), alert, version),
            )
            return cursor.rowcount

    def save_plan(self, plan: Plan) -> None:
        with self._connections.transaction() as connection:
            connection.execute(
                "INSERT OR REPLACE INTO notify_plans VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    plan.alert,
                    plan.version,
                    plan.channel,
                    plan.kind,
                    plan.sequence,
                    plan.recipients,
                    plan.skipped,
                    epoch(plan.updated_at),
                ),
            )

    def plans(self, alert: str | None = None) -> list[Plan]:
        rows = self._query(
            "SELECT alert, version, channel, kind, sequence, recipients, skipped, updated_at"
            " FROM notify_plans WHERE ? IS NULL OR alert = ? ORDER BY sequence, alert, channel",
            (alert, alert),
        )
        return [Plan(*row[:7], updated_at=from_epoch(row[7])) for row in rows]

    def mark_done(self, sequence: int, now: datetime) -> None:
        with self._connections.transaction() as connection:
            connection.execute(
                "INSERT OR IGNORE INTO notify_sequences VALUES (?, ?)", (sequence, epoch(now))
            )

    def done_sequences(self) -> set[int]:
        return {row[0] for row in self._query("SELECT sequence FROM notify_sequences")}

    def member_records(self, member_id: str) -> list[dict[str, Any]]:
        rows = self._query(
            "SELECT alert, version, channel, state, attempts, updated_at FROM notify_deliveries"
            " WHERE member_id = ? ORDER BY updated_at, alert, version, channel",
            (member_id,),
        )
        return [
            delivery_record(alert, version, channel, state, attempts, from_epoch(updated))
            for alert, version, channel, state, attempts, updated in rows
        ]

    def forget_member(self, member_id: str) -> int:
        with self._connections.transaction() as connection:
            return connection.execute(
                "DELETE FROM notify_deliveries WHERE member_id = ?", (member_id,)
            ).rowcount

    def _update(
        self,
        keys: Iterable[DeliveryKey],
        state: str,
        now: datetime,
        error: str | None,
        next_attempt: datetime | None,
    ) -> None:
        retry = epoch(next_attempt) if next_attempt is not None else None
        members: dict[tuple[str, str, str], list[str]] = {}  # one alert version's, usually
        for k in keys:
            members.setdefault((k.alert, k.version, k.channel), []).append(k.member_id)
        with self._connections.transaction() as connection:
            for (alert, version, channel), ids in members.items():
                for start in range(0, len(ids), _ROWS_A_STATEMENT):
                    part = ids[start : start + _ROWS_A_STATEMENT]
                    connection.execute(
                        _UPDATE.format(members=", ".join("?" * len(part))),
                        (state, epoch(now), error, retry, alert, version, channel, *part),
                    )

    def _query(self, sql: str, parameters: tuple = ()) -> list[tuple]:
        return self._connections.connection().execute(sql, parameters).fetchall()


_STATES = {state.value: state for state in DeliveryState}


class _Moments(dict[int, datetime]):
    """Epoch seconds to datetimes, each converted once."""

    def __missing__(self, seconds: int) -> datetime:
        moment = self[seconds] = from_epoch(seconds)
        return moment
