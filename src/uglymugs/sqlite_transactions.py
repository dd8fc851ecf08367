"""One SQLite write transaction, taken before reading, for the local adapters' atomic claims.

``BEGIN IMMEDIATE`` takes the write lock at once, so a read-then-write (claim a key,
check a name is free) cannot interleave with another process doing the same.
:func:`create_private_database` is how each local adapter first opens its file.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from uglymugs.private_files import create_private_file


def create_private_database(db_path: Path, schema: str, *, write_ahead_log: bool = False) -> None:
    """Create ``db_path`` 0600 (before SQLite could create it readable) and run ``schema``.

    ``write_ahead_log`` switches the file to WAL mode, which stays with the file: a
    commit then syncs the log once, where a rollback journal syncs several times.
    """
    create_private_file(db_path)
    with contextlib.closing(sqlite3.connect(db_path, timeout=30)) as connection:
        if write_ahead_log:
            connection.execute("PRAGMA journal_mode=WAL")
        connection.executescript(schema)


@contextlib.contextmanager
def immediate_transaction(db_path: Path) -> Iterator[sqlite3.Connection]:
    """A connection inside ``BEGIN IMMEDIATE``: committed on success, rolled back on error."""
    connection = sqlite3.connect(db_path, timeout=30, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")
        try:
            yield connection
        except BaseException:
            connection.execute("ROLLBACK")
            raise
        connection.execute("COMMIT")
    finally:
        connection.close()
