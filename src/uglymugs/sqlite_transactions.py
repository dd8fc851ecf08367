"""One SQLite write transaction, taken before reading, for the local adapters' atomic claims.

``BEGIN IMMEDIATE`` takes the write lock at once, so a read-then-write (claim a key,
check a name is free) cannot interleave with another process doing the same.
:func:`create_private_database` is how each local adapter first opens its file;
:class:`ThreadConnections` is how the busiest ones (report claims, the notify ledger,
both in ``state.sqlite3``) keep a connection per thread.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
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


class ThreadConnections:
    """Each thread's own open connection to ``db_path``, and one write lock per file.

    A connection kept open for the thread's life: closing the last connection to a WAL
    database checkpoints and syncs it, which each short transaction's close used to do.
    The lock is shared by every adapter on the same file in this process (the report
    claims and the notify ledger both use ``state.sqlite3``).
    """

    def __init__(self, db_path: Path) -> None:
        self.db_path = db_path
        self._local = threading.local()
        self._write_lock = _write_lock(db_path)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """``BEGIN IMMEDIATE`` on this thread's connection: committed on success; on any
        error rolled back and the connection dropped, so no failed state outlives it."""
        connection = self.connection()
        # This process's threads queue here rather than in SQLite's busy handler, which
        # sleeps up to 100 ms between tries: under 64 clients that, not the disk, was
        # the limit. Other processes still meet the database's own lock.
        with self._write_lock:
            try:
                connection.execute("BEGIN IMMEDIATE")
                yield connection
                connection.execute("COMMIT")
            except BaseException:
                self._drop(connection)
                raise

    def connection(self) -> sqlite3.Connection:
        """This thread's connection (autocommit, ``synchronous=FULL``), opened once."""
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(self.db_path, timeout=30, isolation_level=None)
            connection.execute("PRAGMA synchronous=FULL")
            self._local.connection = connection
        return connection

    def _drop(self, connection: sqlite3.Connection) -> None:
        self._local.connection = None
        with contextlib.suppress(sqlite3.Error):
            if connection.in_transaction:
                connection.execute("ROLLBACK")
        connection.close()


_WRITE_LOCKS: dict[Path, threading.Lock] = {}
_WRITE_LOCKS_GUARD = threading.Lock()


def _write_lock(db_path: Path) -> threading.Lock:
    """One lock per database file in this process."""
    with _WRITE_LOCKS_GUARD:
        return _WRITE_LOCKS.setdefault(db_path.resolve(), threading.Lock())
