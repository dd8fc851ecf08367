"""The audit log in SQLite (the local adapter), in the data directory's ``state.sqlite3``.

The sequence number is the primary key, so a second insert of one number fails.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

from uglymugs.audit.log import AuditEntry
from uglymugs.sqlite_transactions import create_private_database

_SCHEMA = "CREATE TABLE IF NOT EXISTS {table} (sequence INTEGER PRIMARY KEY, entry TEXT NOT NULL)"
TABLES = ("audit_log", "sharing_ledger")  # the chains kept this way


class SQLiteAuditLog:
    def __init__(self, db_path: Path, table: str = "audit_log") -> None:
        if table not in TABLES:
            raise ValueError(f"unknown hash-chained table {table!r}")
        self.db_path = db_path
        self.table = table
        create_private_database(db_path, _SCHEMA.format(table=self.table))

    def append(self, entry: AuditEntry) -> bool:
        try:
            with self._connect() as connection:
                connection.execute(
                    f"INSERT INTO {self.table} (sequence, entry) VALUES (?, ?)",  # noqa: S608
                    (entry.sequence, entry.to_json()),
                )
        except sqlite3.IntegrityError:
            return False
        return True

    def last(self) -> AuditEntry | None:
        with self._connect() as connection:
            row = connection.execute(
                f"SELECT entry FROM {self.table} ORDER BY sequence DESC LIMIT 1"  # noqa: S608
            ).fetchone()
        return AuditEntry.from_json(row[0]) if row else None

    def entries(self) -> Iterator[AuditEntry]:
        with self._connect() as connection:
            rows = connection.execute(
                f"SELECT entry FROM {self.table} ORDER BY sequence"  # noqa: S608 - fixed names
            ).fetchall()
        return (AuditEntry.from_json(row[0]) for row in rows)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.db_path, timeout=30)
