"""The outbox adapters' batch files: written in place, and checked when a call is repeated.

A notify call writes up to 500 e-mails or SMS to the outbox, one file each, and notify
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

A call that is the only one writing (``uglymugs notify --concurrency 1``) syncs its
files on a thread of its own while it builds and writes the next (:meth:`OutboxFiles.call`),
one sync at a time as before: the syncs are those of files written one after another,
but building each message no longer waits for the previous file's sync. Calls running
beside others sync each file as they write it: there the other calls' work already
overlaps each sync, and one more thread each only made them wait longer for Python's
lock (measured: no gain at 8 threads). Either way a call returns only when every one
of its files and the directory are synced, so notify still records nothing before the
messages are on disk; a file whose sync failed is removed and the call fails.

So a resend never writes a complete message twice, and never leaves an incomplete one
as the member's only copy. Files this process wrote itself were synced whole before
their digest was noted, and are not read again. A backup copies the ledger before the
outbox, so a file it caught mid-write belongs to a call its ledger copy has not
recorded either: after a restore that call is sent again and the file repaired.
"""

from __future__ import annotations

import contextlib
import os
import queue
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

from uglymugs.private_files import FILE_MODE, ensure_private_dir, sync_directory


class OutboxFiles:
    """The files of one kind (``suffix``) in an outbox directory, by their digest.

    The file name's last ``-``-separated part, before ``suffix``, is its digest (a random
    token for a message sent alone, which is never looked up)."""

    def __init__(
        self, directory: Path, suffix: str, fsync: Callable[[int], None] = os.fsync
    ) -> None:
        self.directory = Path(directory)
        self.suffix = suffix
        self.fsync = fsync  # a test's may fail
        self._lock = threading.Lock()
        self._listed = False
        self._found: dict[str, list[str]] = {}  # on disk before this process looked: unread
        self._whole: set[str] = set()  # written by this process, or read and found whole
        self._calls = 0  # calls writing now (notify's threads)

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

    @contextlib.contextmanager
    def call(self) -> Iterator[CallFiles]:
        """One call's new files (:meth:`CallFiles.write`), each synced while the next is
        written; on leaving, every sync is waited for and then the directory synced.
        A file whose sync failed is removed and its error raised."""
        with self._lock:
            self._calls += 1
            files = CallFiles(self, alone=self._calls == 1)
        try:
            try:
                yield files
            except BaseException:
                files.settle()  # the syncs in flight, and no descriptor left open
                raise
            files.settle(raise_errors=True)
        finally:
            with self._lock:
                self._calls -= 1
        sync_directory(self.directory)  # the call's new (and removed) entries: one sync

    def _note_whole(self, digest: str) -> None:
        """``digest``'s file is synced whole: later calls need not read it."""
        with self._lock:
            self._whole.add(digest)


class CallFiles:
    """The files one call writes, synced one at a time on a thread of the call's own."""

    def __init__(self, files: OutboxFiles, alone: bool) -> None:
        self.files = files
        self.alone = alone  # the only call writing: its syncs run on a thread of its own
        self._written: list[tuple[str, str]] = []  # path and digest, in writing order
        self._digests: set[str] = set()
        self._queue: queue.SimpleQueue[int | None] = queue.SimpleQueue()
        self._failed: dict[int, BaseException] = {}  # by the file's place in _written
        self._syncer: threading.Thread | None = None

    def holds(self, digest: str, whole: Callable[[bytes], bool]) -> bool:
        """:meth:`OutboxFiles.holds`, or written earlier in this call."""
        return digest in self._digests or self.files.holds(digest, whole)

    def write(self, name: str, digest: str, data: bytes) -> str:
        """``data`` as the new file ``name``; its path. Its sync runs while the caller
        goes on; the call's end waits for it. If the write fails the file is removed,
        so an error never leaves a part of a message."""
        path = os.path.join(self.files.directory, name)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(descriptor, view) :]
        except BaseException:
            os.close(descriptor)
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)
            raise
        self._written.append((path, digest))
        self._digests.add(digest)  # noted as whole for the outbox once it is synced
        if not self.alone:  # other calls' work overlaps this file's sync already
            self._sync(len(self._written) - 1, descriptor)
            return path
        if self._syncer is None:
            self._syncer = threading.Thread(target=self._sync_each, name="outbox-sync")
            self._syncer.start()
        self._queue.put(descriptor)
        return path

    def settle(self, raise_errors: bool = False) -> None:
        """Wait for every sync; remove each file whose sync failed (and raise the first
        error if ``raise_errors``); note the others whole."""
        if self._syncer is not None:
            self._queue.put(None)
            self._syncer.join()
            self._syncer = None
        for place, (path, digest) in enumerate(self._written):
            if place in self._failed:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(path)
            else:
                self.files._note_whole(digest)
        self._written.clear()
        if self._failed and raise_errors:
            raise next(iter(self._failed.values()))

    def _sync_each(self) -> None:
        """The syncer: each descriptor in turn, synced and closed."""
        place = 0
        while (descriptor := self._queue.get()) is not None:
            self._sync(place, descriptor)
            place += 1

    def _sync(self, place: int, descriptor: int) -> None:
        """Sync and close the ``place``-th file; a failure is raised by :meth:`settle`."""
        try:
            self.files.fsync(descriptor)
        except BaseException as error:
            self._failed[place] = error
        finally:
            os.close(descriptor)
