"""The bundle shelf: where published alert bundles wait for members (the port).

Files are immutable and live under one prefix per publish (``seq-000042/…``); one
small ``manifest.json`` names the current prefix and every file in it. Publishing
writes all the new files first and then replaces the manifest in a single write, so
a reader who reads the manifest and then the files it names sees the old set or the
new one, never a mix. Adapters: :mod:`~uglymugs.alerts.shelf.files` (a directory)
and :mod:`~uglymugs.alerts.shelf.s3` (a private bucket).

Names are relative, lower-case, ``/``-separated: ``seq-000042/alerts-all.json``,
``changes/seq-000042.json``. The manifest is not a name: it has its own two methods.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Protocol

MANIFEST_NAME = "manifest.json"
_SEGMENT = r"[a-z0-9][a-z0-9._-]{0,127}"
_NAME = re.compile(rf"{_SEGMENT}(/{_SEGMENT})*")


class ShelfError(Exception):
    """A shelf operation that cannot be done as asked."""


class ShelfConflictError(ShelfError):
    """A file that is already on the shelf with different bytes; files are never replaced."""


def check_name(name: str) -> str:
    """Return ``name`` if it is a safe shelf name; raise ValueError otherwise.

    No ``..``, no leading ``/`` or ``.``, no upper case: a name becomes a path on disk
    and an S3 key, and must mean the same thing as both.
    """
    if not _NAME.fullmatch(name) or ".." in name or name == MANIFEST_NAME:
        raise ValueError(f"{name!r} is not a valid bundle shelf name")
    return name


class BundleShelf(Protocol):
    """Immutable named files plus one replaceable manifest."""

    def put(self, name: str, data: bytes) -> None:
        """Store ``data`` as ``name``, durably, complete or not at all.

        Storing the same bytes again is a no-op; different bytes raise
        :class:`ShelfConflictError` (a file, once written, never changes).
        """
        ...

    def get(self, name: str) -> bytes | None:
        """The bytes of ``name``, or None if there is no such file."""
        ...

    def put_manifest(self, data: bytes) -> None:
        """Replace the manifest in one atomic write, after every file it names is stored."""
        ...

    def get_manifest(self) -> bytes | None: ...

    def names(self, prefix: str = "") -> list[str]:
        """Every stored name starting with ``prefix``, sorted (the manifest excluded)."""
        ...

    def delete(self, names: Iterable[str]) -> None:
        """Remove files (old sequences); names that are already gone are fine."""
        ...
