"""Files only this user can read, created once and never half-written.

Key files and sealed reports share the same needs: a directory of mode 0700, files of
mode 0600, and a write that either leaves the complete file under its final name or
nothing at all, and that never replaces a file already there. Writing to a temporary
name, syncing it and then hard-linking it to the final name gives all three: ``link``
fails when the name exists, where ``rename`` would silently replace it.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from pathlib import Path

DIRECTORY_MODE = 0o700
FILE_MODE = 0o600
TEMPORARY_PREFIX = ".tmp-"


def ensure_private_dir(path: Path) -> None:
    """Create ``path`` (and its parents) if needed and make it mode 0700."""
    path.mkdir(mode=DIRECTORY_MODE, parents=True, exist_ok=True)
    path.chmod(DIRECTORY_MODE)


def create_private_file(path: Path) -> None:
    """Create ``path`` empty and 0600 unless it exists, for a library to open and fill next.

    SQLite creates a missing database file with the umask's mode (often readable by
    everyone); a file already there keeps its mode, and the write-ahead log and journal
    files SQLite makes beside it copy that mode. The directory is created 0700 where it
    is missing, but a directory someone chose (a data directory shared with other state)
    keeps its mode.
    """
    path.parent.mkdir(mode=DIRECTORY_MODE, parents=True, exist_ok=True)
    os.close(os.open(path, os.O_CREAT | os.O_RDWR, FILE_MODE))


def write_temporary(directory: Path, data: bytes, name: str = "") -> Path:
    """``data`` as a complete, fsync'd 0600 file under a fresh temporary name in ``directory``.

    Callers then link or rename it into place and remove it if that fails.
    """
    temporary = directory / f"{TEMPORARY_PREFIX}{secrets.token_hex(8)}-{name}"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        raise
    return temporary


def write_new_file(path: Path, data: bytes, *, sync: bool = True) -> bool:
    """Write ``data`` to ``path`` as a new 0600 file; return False if ``path`` exists.

    The file appears complete or not at all, and an existing file is left untouched.
    ``sync=False`` leaves the directory entry to one :func:`sync_directory` by the
    caller after a batch of files (the file's data is synced either way).
    """
    ensure_private_dir(path.parent)
    temporary = write_temporary(path.parent, data, path.name)
    try:
        os.link(temporary, path)
    except FileExistsError:
        return False
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
    if sync:
        sync_directory(path.parent)
    return True


def replace_file(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` in one step: readers see the old file or the new one."""
    ensure_private_dir(path.parent)
    temporary = write_temporary(path.parent, data, path.name)
    try:
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        raise
    sync_directory(path.parent)


def sync_directory(path: Path) -> None:
    """Make new directory entries durable (a crash must not lose a stored file)."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
