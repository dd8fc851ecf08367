"""The audit log in SQLite (the local adapter), in the data directory's ``state.sqlite3``.

The sequence number is the primary key, so a second insert of one number fails.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

from uglymugs.audit.log import AuditEntry
from uglymugs.private_files import ensure_private_dir

_SCHEMA = "CREATE TABLE IF NOT EXISTS audit_log (sequence INTEGER PRIMARY KEY, entry TEXT NOT NULL)"


class SQLiteAuditLog:
    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        ensure_private_dir(db_path.parent)
        with self._connect() as connection:
            connection.execute(_SCHEMA)

    def append(self, entry: AuditEntry) -> bool:
        try:
            with self._connect() as connection:
                connection.execute(
                    "INSERT INTO audit_log (sequence, entry) VALUES (?, ?)",
                    (entry.sequence, entry.to_json()),
                )
        except sqlite3.IntegrityError:
            return False
        return True

    def last(self) -> AuditEntry | None:
        with self._connect() as connection:
            row = connection.execute(
                "SELECT entry FROM audit_log ORDER BY sequence DESC LIMIT 1"
            ).fetchone()
        return AuditEntry.from_json(row[0]) if row else None

    def entries(self) -> Iterator[AuditEntry]:
        with self._connect() as connection:
            rows = connection.execute("SELECT entry FROM audit_log ORDER BY sequence").fetchall()
        return (AuditEntry.from_json(row[0]) for row in rows)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.db_path, timeout=30)
