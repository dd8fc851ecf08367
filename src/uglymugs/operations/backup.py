"""``uglymugs backup``: a consistent, sealed copy of a running scheme's data directory.

Copying the directory while the scheme runs gave a ledger with a broken index and
vault files the ledger did not know, so that retries against the copy stored reports
twice. A backup therefore:

1. copies every SQLite database with SQLite's online backup API (a consistent
   snapshot, whatever is writing), the idempotency ledger among them, *before*
2. the vault, so every claim in the copy whose report was written is in the copy.
   A claim whose write is still running is waited for (a few seconds at most); a
   claim whose report never arrives (a write that crashed, or is stuck) is taken out
   of the copied ledger, so the copy never holds a claim without its report. A report
   written after the ledger snapshot is in the copy without its claim: it was not
   acknowledged when the backup began, and nothing is lost.
3. then the bundle shelf and the outbox (bundle files written once or replaced whole; an
   outbox file caught mid-write belongs to a call the ledger copy has not recorded, so
   it is sent again and the file repaired after a restore: `messaging/outbox_files.py`).

Everything goes into one tar archive, streamed through :mod:`sealed_stream` to the
current report key's public half, so no passphrase is needed to make a backup and it
is needed to read one. The archive ends with ``MANIFEST.json``: counts and the
SHA-256 of every file. Keys are not in it (``uglymugs keys export``), nor the built site.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import secrets
import sqlite3
import tarfile
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import BinaryIO

from uglymugs.config import Settings
from uglymugs.crypto.keys import load_public_keys
from uglymugs.operations.layout import (
    not_state,
    open_existing,
    sqlite_databases,
    state_dirs,
    state_files,
)
from uglymugs.operations.reconcile import read_claims
from uglymugs.operations.sealed_stream import SealedWriter
from uglymugs.private_files import FILE_MODE, TEMPORARY_PREFIX, sync_directory
from uglymugs.reports.claims import utc_now
from uglymugs.reports.claims.sqlite import forget_claims
from uglymugs.reports.vault.files import SUFFIX

MANIFEST_NAME = "MANIFEST.json"
MANIFEST_SCHEMA = "uglymugs.backup-manifest/1"
DATABASES = "databases"
# How long a claim's report may take to appear in the vault before the claim is
# taken out of the copy (a write takes milliseconds).
WRITE_WAIT = timedelta(seconds=5)
_READ_SIZE = 64 * 1024


class BackupError(Exception):
    """A backup that cannot be made, for a reason the person at the terminal can fix."""


@dataclass
class Manifest:
    """What the archive holds: counts and, for every file, its size and SHA-256."""

    created_at: str
    key_id: str
    counts: dict[str, int] = field(default_factory=dict)
    claims_dropped: list[str] = field(default_factory=list)
    files: dict[str, dict[str, int | str]] = field(default_factory=dict)

    def as_bytes(self) -> bytes:
        document = {"schema": MANIFEST_SCHEMA, **self.__dict__}
        return (json.dumps(document, indent=2, sort_keys=True) + "\n").encode("utf-8")


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    manifest: Manifest
    size: int
    left_out: dict[str, str]

    def lines(self) -> list[str]:
        counts = self.manifest.counts
        lines = [
            f"Backed up to {self.path} ({self.size:,} bytes), sealed to report key "
            f"{self.manifest.key_id}: {counts[DATABASES]} databases, {counts['reports']} "
            f"reports, {counts['live_claims']} live claims, {counts['shelf']} shelf files, "
            f"{counts['outbox']} outbox files."
        ]
        if self.manifest.claims_dropped:
            dropped = ", ".join(self.manifest.claims_dropped)
            lines.append(
                f"Claims left out because their report was never written: {dropped} "
                "(the sender's retry claims afresh)."
            )
        lines += [f"Not in the backup: {name}/ ({why})." for name, why in self.left_out.items()]
        return lines


class _HashingReader:
    """Reads a file for tarfile while hashing exactly the bytes that go into the archive."""

    def __init__(self, handle: BinaryIO) -> None:
        self._handle = handle
        self.sha256 = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self._handle.read(size)
        self.sha256.update(data)
        return data


def create_backup(
    settings: Settings,
    destination: Path,
    now: datetime | None = None,
    write_wait: timedelta = WRITE_WAIT,
) -> BackupSummary:
    """Write a sealed backup of the data directory to ``destination`` (never replaced)."""
    now = now or utc_now()
    public = load_public_keys(settings.keys_dir)
    if destination.exists():
        raise BackupError(f"{destination} already exists; choose a new name for each backup")
    if destination.resolve().is_relative_to(settings.data_dir.resolve()):
        raise BackupError("write backups outside the data directory: whatever loses it loses them")
    manifest = Manifest(created_at=now.isoformat(timespec="seconds"), key_id=public.report_key_id)
    with tempfile.TemporaryDirectory(prefix="uglymugs-backup-") as scratch:
        databases = snapshot_databases(settings, Path(scratch))
        vault_files = _vault_after(settings, databases, manifest, now, write_wait)
        with (
            _new_file(destination) as out,
            SealedWriter(out, public.report_key_id, public.report_public_key) as sealed,
            tarfile.open(fileobj=sealed, mode="w|", format=tarfile.GNU_FORMAT) as tar,  # type: ignore[call-overload]
        ):
            _add_all(tar, settings, databases, vault_files, manifest)
    return BackupSummary(destination, manifest, destination.stat().st_size, not_state(settings))


def snapshot_databases(settings: Settings, scratch: Path) -> dict[str, Path]:
    """A consistent copy of every database (SQLite's online backup API), by file name."""
    copies = {}
    for path in sqlite_databases(settings):
        copy = scratch / path.name
        with (
            contextlib.closing(open_existing(path)) as source,
            contextlib.closing(sqlite3.connect(copy)) as target,
        ):
            source.backup(target)
        copies[path.name] = copy
    return copies


def _vault_after(
    settings: Settings,
    databases: dict[str, Path],
    manifest: Manifest,
    now: datetime,
    write_wait: timedelta,
) -> list[Path]:
    """The vault's files once every claim in the copied ledger has its report, or has
    waited ``write_wait`` for it; claims still without a report leave the copy."""
    ledger_copy = databases.get(settings.state_db.name)
    claims = read_claims(ledger_copy, now) if ledger_copy else set()
    deadline = time.monotonic() + write_wait.total_seconds()
    while True:
        files = state_files(settings, state_dirs(settings)[0])
        missing = claims - {path.name.removesuffix(SUFFIX) for path in files}
        if not missing or time.monotonic() >= deadline:
            break
        time.sleep(0.05)
    if missing and ledger_copy:
        with contextlib.closing(sqlite3.connect(ledger_copy)) as connection:
            forget_claims(connection, missing)
    manifest.claims_dropped = sorted(missing)
    manifest.counts["live_claims"] = len(claims - missing)
    return files


def _add_all(
    tar: tarfile.TarFile,
    settings: Settings,
    databases: dict[str, Path],
    vault_files: list[Path],
    manifest: Manifest,
) -> None:
    manifest.counts[DATABASES] = len(databases)
    for name, copy in databases.items():
        _add_file(tar, f"{DATABASES}/{name}", copy, manifest)
    others = state_dirs(settings)[1:]  # the vault's files were listed after the ledger
    manifest.counts["reports"] = sum(
        _add_file(tar, _name(settings, path), path, manifest) for path in vault_files
    )
    for directory in others:
        manifest.counts[directory] = sum(
            _add_file(tar, _name(settings, path), path, manifest)
            for path in state_files(settings, directory)
        )
    data = manifest.as_bytes()
    info = _info(MANIFEST_NAME, len(data), time.time())
    tar.addfile(info, io.BytesIO(data))


def _add_file(tar: tarfile.TarFile, name: str, path: Path, manifest: Manifest) -> int:
    """Add one file, hashing it as it goes in; 0 if it vanished first (a superseded
    bundle deleted after a publish), else 1."""
    try:
        handle = path.open("rb")
    except FileNotFoundError:
        return 0
    with handle:
        status = os.fstat(handle.fileno())
        reader = _HashingReader(handle)
        tar.addfile(_info(name, status.st_size, status.st_mtime), reader)  # type: ignore[arg-type]
    manifest.files[name] = {"size": status.st_size, "sha256": reader.sha256.hexdigest()}
    return 1


def _info(name: str, size: int, mtime: float) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = size, int(mtime), FILE_MODE
    return info


def _name(settings: Settings, path: Path) -> str:
    """``path`` inside the archive: relative to the data directory, with ``/``."""
    prefix, text = f"{settings.data_dir}{os.sep}", str(path)
    if not text.startswith(prefix):  # state_files builds every path from data_dir
        raise ValueError(f"{path} is not in {settings.data_dir}")
    return text.removeprefix(prefix).replace(os.sep, "/")


@contextlib.contextmanager
def _new_file(destination: Path) -> Iterator[BinaryIO]:
    """A 0600 file that appears under ``destination`` only once complete and synced."""
    directory = destination.parent
    temporary = directory / f"{TEMPORARY_PREFIX}{secrets.token_hex(8)}-{destination.name}"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(temporary, destination)
        except FileExistsError:
            raise BackupError(f"{destination} appeared while the backup ran; kept it") from None
        sync_directory(directory)
    finally:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
