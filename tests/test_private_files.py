"""Private files: a SQLite database is 0600 from its first byte, whatever the umask.

SQLite would create a missing database with the umask's mode; each local adapter
creates it 0600 first (:func:`uglymugs.private_files.create_private_file`). The umask
is opened wide here so that a file left to SQLite would show as readable by others.
"""

from __future__ import annotations

import os
import sqlite3
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from uglymugs.audit.log.sqlite import SQLiteAuditLog
from uglymugs.cases.store.sqlite import SQLiteCaseStore
from uglymugs.members.directory.sqlite import SQLiteMemberDirectory
from uglymugs.members.survey.sqlite import SQLiteSurveyStore
from uglymugs.notify.ledger.sqlite import SQLiteNotificationLedger
from uglymugs.private_files import create_private_file
from uglymugs.reports.claims.sqlite import SQLiteIdempotencyLedger
from uglymugs.sqlite_transactions import create_private_database


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.fixture
def open_umask() -> Iterator[None]:
    previous = os.umask(0)
    try:
        yield
    finally:
        os.umask(previous)


def test_a_new_file_is_empty_and_0600_in_a_new_0700_directory(tmp_path, open_umask):
    path = tmp_path / "data" / "state.sqlite3"
    create_private_file(path)
    assert path.stat().st_size == 0  # nothing written yet, and already private
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700


def test_an_existing_file_and_a_chosen_directory_are_left_as_they_are(tmp_path, open_umask):
    tmp_path.chmod(0o750)
    path = tmp_path / "state.sqlite3"
    path.write_bytes(b"kept")
    path.chmod(0o640)
    create_private_file(path)
    assert path.read_bytes() == b"kept"
    assert (mode(path), mode(tmp_path)) == (0o640, 0o750)


def test_a_schema_that_fails_part_way_leaves_only_a_private_file(tmp_path, open_umask):
    path = tmp_path / "state.sqlite3"
    with pytest.raises(sqlite3.OperationalError):
        create_private_database(path, "CREATE TABLE kept (x); INSERT INTO missing VALUES (1);")
    assert mode(path) == 0o600


ADAPTERS: dict[str, Callable[[Path], object]] = {
    "member directory": SQLiteMemberDirectory,
    "survey store": SQLiteSurveyStore,
    "notification ledger": SQLiteNotificationLedger,
    "idempotency claims": SQLiteIdempotencyLedger,
    "case records": SQLiteCaseStore,
    "audit log": SQLiteAuditLog,
}


@pytest.mark.parametrize("make", ADAPTERS.values(), ids=ADAPTERS.keys())
def test_each_local_adapter_creates_its_database_and_log_0600(tmp_path, open_umask, make):
    path = tmp_path / "data" / "state.sqlite3"
    make(path)
    files = sorted(path.parent.iterdir())
    assert path in files
    assert {file.name: mode(file) for file in files} == {file.name: 0o600 for file in files}
    assert mode(path.parent) == 0o700
