"""Case records in SQLite (the local adapter), in the data directory's ``state.sqlite3``.

A save is one ``BEGIN IMMEDIATE`` transaction: read the stored version, then write
only if it is the one the save was based on.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from uglymugs.cases.store import SealedCase, StaleVersionError
from uglymugs.sqlite_transactions import create_private_database, immediate_transaction

_SCHEMA = """
CREATE TABLE IF NOT EXISTS case_records (
    number TEXT PRIMARY KEY,
    version INTEGER NOT NULL,
    key_id TEXT NOT NULL,
    ciphertext BLOB NOT NULL,
    saved_at TEXT NOT NULL
)
"""
_COLUMNS = "number, version, key_id, ciphertext, saved_at"


class SQLiteCaseStore:
    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        create_private_database(db_path, _SCHEMA)

    def get(self, number: str) -> SealedCase | None:
        with sqlite3.connect(self.db_path, timeout=30) as connection:
            return _read(connection, number)

    def put(self, record: SealedCase) -> None:
        with immediate_transaction(self.db_path) as connection:
            current = _read(connection, record.number)
            stored_version = current.version if current else 0
            if current is not None and stored_version != record.version - 1:
                raise StaleVersionError(current)
            if current is None and record.version != 1:
                raise StaleVersionError(_missing(record))
            connection.execute(
                f"INSERT OR REPLACE INTO case_records ({_COLUMNS}) VALUES (?, ?, ?, ?, ?)",  # noqa: S608 - constant columns
                (
                    record.number,
                    record.version,
                    record.key_id,
                    record.ciphertext,
                    record.saved_at,
                ),
            )

    def all(self) -> list[SealedCase]:
        with sqlite3.connect(self.db_path, timeout=30) as connection:
            rows = connection.execute(f"SELECT {_COLUMNS} FROM case_records").fetchall()  # noqa: S608 - constant columns
        return [_record(row) for row in rows]

    def held_reports(self) -> set[str]:
        """Retention hold: every report with a case record (its status is sealed, so
        an open case cannot be told from a closed one without the case key)."""
        return {record.number for record in self.all()}


def _read(connection: sqlite3.Connection, number: str) -> SealedCase | None:
    row = connection.execute(
        f"SELECT {_COLUMNS} FROM case_records WHERE number = ?",  # noqa: S608 - constant columns
        (number,),
    ).fetchone()
    return _record(row) if row else None


def _record(row: tuple) -> SealedCase:
    return SealedCase(row[0], int(row[1]), row[2], bytes(row[3]), row[4])


def _missing(record: SealedCase) -> SealedCase:
    """What a save of version > 1 finds when nothing is stored: version 0, no content."""
    return SealedCase(record.number, 0, "", b"", "")
