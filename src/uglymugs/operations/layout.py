"""What lives in the data directory, and which parts of it are the scheme's state.

A local scheme keeps, under one data directory (:class:`~uglymugs.config.Settings`):
SQLite databases (ledgers, members, sessions), the report vault, the bundle shelf and
the outbox, which together are its state; the keys, backed up on their own
(``uglymugs keys export``); and the built site, which ``uglymugs build`` makes again.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from uglymugs.config import Settings
from uglymugs.messaging.mailer import OUTBOX_DIR
from uglymugs.private_files import TEMPORARY_PREFIX

SQLITE_HEADER = b"SQLite format 3\x00"


def state_dirs(settings: Settings) -> list[str]:
    """Directories of files that are the scheme's state, relative to the data directory,
    in the order a backup copies them: the vault first (:mod:`uglymugs.operations.backup`)."""
    return [
        _relative(settings, settings.vault_dir),
        _relative(settings, settings.shelf_dir),
        OUTBOX_DIR,
    ]


def not_state(settings: Settings) -> dict[str, str]:
    """What a backup leaves out, each with the reason a person is told."""
    return {
        _relative(settings, settings.keys_dir): "back the keys up with `uglymugs keys export`",
        _relative(settings, settings.site_output): "the built site: `uglymugs build` remakes it",
    }


def _relative(settings: Settings, path: Path) -> str:
    return path.relative_to(settings.data_dir).as_posix()


def is_sqlite_database(path: Path) -> bool:
    """True for a file that starts like every SQLite database (journals do not)."""
    try:
        with path.open("rb") as handle:
            return handle.read(len(SQLITE_HEADER)) == SQLITE_HEADER
    except (IsADirectoryError, FileNotFoundError, PermissionError):
        return False


def sqlite_databases(settings: Settings) -> list[Path]:
    """Every SQLite database directly in the data directory, by name."""
    if not settings.data_dir.is_dir():
        return []
    return sorted(path for path in settings.data_dir.iterdir() if is_sqlite_database(path))


def is_temporary(path: Path) -> bool:
    """A file an atomic write made and then linked or renamed into place (or never did)."""
    return path.name.startswith(TEMPORARY_PREFIX)


def state_files(settings: Settings, directory: str) -> list[Path]:
    """The files of one state directory, recursively, without temporary files."""
    found = []
    for parent, _dirs, names in os.walk(settings.data_dir / directory):
        found += [Path(parent, name) for name in names if not name.startswith(TEMPORARY_PREFIX)]
    return sorted(found)


def existing_state(settings: Settings) -> list[str]:
    """What a restore would replace: each database and each state directory holding files."""
    found = [path.name for path in sqlite_databases(settings)]
    found += [f"{name}/" for name in state_dirs(settings) if state_files(settings, name)]
    return found


def open_existing(db_path: Path) -> sqlite3.Connection:
    """A connection to an existing database that never creates one.

    Read-write, not read-only: after a crash mid-transaction the first connection must
    roll the hot journal back, which a read-only connection cannot do.
    """
    uri = f"{db_path.resolve().as_uri()}?mode=rw"
    return sqlite3.connect(uri, uri=True, timeout=30)
