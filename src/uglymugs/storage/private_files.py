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


def write_new_file(path: Path, data: bytes) -> bool:
    """Write ``data`` to ``path`` as a new 0600 file; return False if ``path`` exists.

    The file appears complete or not at all, and an existing file is left untouched.
    """
    ensure_private_dir(path.parent)
    temporary = path.with_name(f"{TEMPORARY_PREFIX}{secrets.token_hex(8)}-{path.name}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temporary, path)
        except FileExistsError:
            return False
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
    _sync_directory(path.parent)
    return True


def _sync_directory(path: Path) -> None:
    """Make the new directory entry durable (a crash must not lose a stored report)."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
