"""The bundle shelf as a private directory (the local adapter), ``<data dir>/shelf``.

Files are written like sealed reports: to a temporary name, synced, then hard-linked
to their final name, so a file appears complete or not at all and is never replaced.
The manifest is the one file that is replaced: a temporary file, synced, then
``os.replace`` onto ``manifest.json`` — atomic on POSIX, so a reader opens either the
old manifest or the new one. Directory entries of the new files are synced just
before that switch (once per directory, not once per file).

>>> shelf = LocalBundleShelf(settings.data_dir / "shelf")  # doctest: +SKIP
>>> shelf.put("seq-000001/alerts-all.json", data)  # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from pathlib import Path

from uglymugs.alerts.shelf import MANIFEST_NAME, ShelfConflictError, check_name
from uglymugs.private_files import (
    ensure_private_dir,
    replace_file,
    sync_directory,
    write_temporary,
)


class LocalBundleShelf:
    """Bundle files under ``root`` (mode 0700, files 0600)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)
        self._unsynced_dirs: set[Path] = set()

    def put(self, name: str, data: bytes) -> None:
        path = self._path(name)
        ensure_private_dir(self.root)
        ensure_private_dir(path.parent)
        temporary = write_temporary(path.parent, data)
        try:
            os.link(temporary, path)
        except FileExistsError:
            if path.read_bytes() != data:
                raise ShelfConflictError(
                    f"{name} is already on the shelf with other bytes"
                ) from None
        finally:
            with contextlib.suppress(FileNotFoundError):
                temporary.unlink()
        self._unsynced_dirs.update(path.parents[: len(path.relative_to(self.root).parts)])

    def get(self, name: str) -> bytes | None:
        try:
            return self._path(name).read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            return None

    def put_manifest(self, data: bytes) -> None:
        ensure_private_dir(self.root)
        for directory in sorted(self._unsynced_dirs):
            if directory.exists():
                sync_directory(directory)
        self._unsynced_dirs.clear()
        replace_file(self.root / MANIFEST_NAME, data)

    def get_manifest(self) -> bytes | None:
        try:
            return (self.root / MANIFEST_NAME).read_bytes()
        except FileNotFoundError:
            return None

    def names(self, prefix: str = "") -> list[str]:
        if not self.root.is_dir():
            return []
        found = []
        for path in self.root.rglob("*"):
            name = path.relative_to(self.root).as_posix()
            if path.is_file() and name != MANIFEST_NAME and name.startswith(prefix):
                with contextlib.suppress(ValueError):
                    found.append(check_name(name))  # skips temporary files
        return sorted(found)

    def delete(self, names: Iterable[str]) -> None:
        directories = set()
        for name in names:
            path = self._path(name)
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
            directories.add(path.parent)
        for directory in sorted(directories, reverse=True):
            if directory != self.root:
                with contextlib.suppress(OSError):
                    directory.rmdir()  # only when empty

    def _path(self, name: str) -> Path:
        return self.root / check_name(name)
