"""A call's outbox files are all synced before the call returns, or the call fails.

Notify records a call in the ledger only after it returns, so a call must not return
while one of its files could still be lost; a call alone syncs its files on a thread
of its own (``--concurrency 1``), calls beside others sync each file as they write it.
Both are checked here, with a sync that notes which files it made durable, and one
that fails.
"""

import contextlib
import os

import pytest

from uglymugs.messaging.outbox_files import OutboxFiles


class Syncs:
    """os.fsync, noting each synced file's inode; the ``fail_at``-th (from 1) fails."""

    def __init__(self, fail_at: int | None = None) -> None:
        self.fail_at = fail_at
        self.inodes: list[int] = []

    def __call__(self, descriptor: int) -> None:
        if len(self.inodes) + 1 == self.fail_at:
            self.inodes.append(-1)
            raise OSError(5, "Input/output error")
        os.fsync(descriptor)
        self.inodes.append(os.fstat(descriptor).st_ino)


def _inodes(directory) -> set[int]:
    return {path.stat().st_ino for path in directory.iterdir()}


def _open_descriptors() -> int:
    return len(os.listdir("/proc/self/fd"))


def _whole(data: bytes) -> bool:
    return True


def test_a_call_alone_returns_only_when_every_file_is_synced(tmp_path):
    syncs = Syncs()
    files = OutboxFiles(tmp_path, ".eml", fsync=syncs)
    files.prepare()
    with files.call() as call:
        assert call.alone
        for number in range(20):
            call.write(f"m-{number:02d}.eml", f"d{number}", b"message %d" % number)
    assert sorted(syncs.inodes) == sorted(_inodes(tmp_path))
    assert len(syncs.inodes) == 20
    assert all(files.holds(f"d{number}", _whole) for number in range(20))


def test_calls_beside_others_sync_each_file_as_they_write_it(tmp_path):
    syncs = Syncs()
    files = OutboxFiles(tmp_path, ".eml", fsync=syncs)
    files.prepare()
    with files.call() as first, files.call() as second:
        assert first.alone and not second.alone
        second.write("b.eml", "b", b"second call's")
        assert len(syncs.inodes) == 1  # synced before write returned
        first.write("a.eml", "a", b"first call's")
    assert sorted(syncs.inodes) == sorted(_inodes(tmp_path))


@pytest.mark.parametrize("beside_another", [False, True])
def test_a_file_whose_sync_fails_is_removed_and_the_call_fails(tmp_path, beside_another):
    syncs = Syncs(fail_at=3)
    files = OutboxFiles(tmp_path, ".eml", fsync=syncs)
    files.prepare()
    descriptors = _open_descriptors()
    with contextlib.ExitStack() as stack:
        if beside_another:
            stack.enter_context(files.call())
        with pytest.raises(OSError), files.call() as call:
            assert call.alone is not beside_another
            for number in range(5):
                call.write(f"m-{number}.eml", f"d{number}", b"message %d" % number)
    names = sorted(path.name for path in tmp_path.iterdir())
    assert names == ["m-0.eml", "m-1.eml", "m-3.eml", "m-4.eml"]
    assert not files.holds("d2", _whole)  # written again when the call is repeated
    assert _open_descriptors() == descriptors


def test_a_call_cut_short_leaves_no_descriptor_open(tmp_path):
    syncs = Syncs()
    files = OutboxFiles(tmp_path, ".eml", fsync=syncs)
    files.prepare()
    descriptors = _open_descriptors()
    with pytest.raises(KeyboardInterrupt), files.call() as call:
        call.write("a.eml", "a", b"one")
        call.write("b.eml", "b", b"two")
        raise KeyboardInterrupt  # the process being stopped mid-call
    assert len(syncs.inodes) == 2
    assert _open_descriptors() == descriptors
