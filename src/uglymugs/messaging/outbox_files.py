"""The outbox adapters' batch files: written in place, and checked when a call is repeated.

A notify call writes up to 50 e-mails (25 SMS) to the outbox, one file each, and notify
records the call in the ledger only after it returns. Each file is named by a digest of
its address and message, and is never written twice for one digest: a call repeated
after a crash writes only what is missing.

A file used to be written under a temporary name, synced, linked to its name and the
temporary name removed (:func:`uglymugs.private_files.write_new_file`): three changes
to the directory per message, where a new fsync'd file needs one, and the largest cost
of a local fan-out after the syncs themselves. Here each file is created under its
final name (``O_CREAT | O_EXCL``, mode 0600), written and synced, and the call syncs
the directory once. A crash while writing can leave that one file incomplete, under its
final name. It is never mistaken for a message sent:

- the call that wrote it was not recorded in the ledger (the record follows the
  call's return, which follows every file's sync), so its deliveries stay claimed and
  a later run sends that call again, once the claims' lease runs out;
- that later call finds the digest in the outbox and, because the file was there before
  this process listed the outbox, reads it: a file whose bytes are exactly those the
  call would write (given the file's own date and message id) is kept and not written
  again; any other file of that digest is removed and the message written afresh.

So a resend never writes a complete message twice, and never leaves an incomplete one
as the member's only copy. Files this process wrote itself were synced whole before
their digest was noted, and are not read again. A backup copies the ledger before the
outbox, so a file it caught mid-write belongs to a call its ledger copy has not
recorded either: after a restore that call is sent again and the file repaired.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable
from pathlib import Path

from uglymugs.private_files import FILE_MODE, ensure_private_dir, sync_directory


class OutboxFiles:
    """The files of one kind (``suffix``) in an outbox directory, by their digest.

    The file name's last ``-``-separated part, before ``suffix``, is its digest (a random
    token for a message sent alone, which is never looked up)."""

    def __init__(self, directory: Path, suffix: str) -> None:
        self.directory = Path(directory)
        self.suffix = suffix
        self._lock = threading.Lock()
        self._listed = False
        self._found: dict[str, list[str]] = {}  # on disk before this process looked: unread
        self._whole: set[str] = set()  # written by this process, or read and found whole

    def prepare(self) -> None:
        """Make the outbox (0700) if need be; list it once per process."""
        ensure_private_dir(self.directory)
        with self._lock:
            if self._listed:
                return
            for name in os.listdir(self.directory):
                if name.endswith(self.suffix):
                    digest = name.removesuffix(self.suffix).rsplit("-", 1)[-1]
                    self._found.setdefault(digest, []).append(name)
            self._listed = True

    def holds(self, digest: str, whole: Callable[[bytes], bool]) -> bool:
        """Whether the outbox holds this digest's message complete (``whole`` says so of
        a file's bytes). A file of the digest found incomplete is removed."""
        with self._lock:
            if digest in self._whole:
                return True
            names = self._found.pop(digest, [])
        held = False
        for name in names:
            path = os.path.join(self.directory, name)
            try:
                with open(path, "rb") as handle:
                    data = handle.read()
            except FileNotFoundError:
                continue
            if whole(data):
                held = True
            else:  # cut short by a crash: never a message sent
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(path)
        if held:
            with self._lock:
                self._whole.add(digest)
        return held

    def write(self, name: str, digest: str, data: bytes) -> str:
        """``data`` as the new file ``name``, synced; its path. The directory entry is
        made durable by :meth:`sync` after the call's files. If the write fails the
        file is removed, so an error never leaves a part of a message."""
        path = os.path.join(self.directory, name)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(descriptor, view) :]
            os.fsync(descriptor)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
            raise
        finally:
            os.close(descriptor)
        with self._lock:
            self._whole.add(digest)
        return path

    def sync(self) -> None:
        """Make the call's new (and removed) directory entries durable: one sync."""
        sync_directory(self.directory)
