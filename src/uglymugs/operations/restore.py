"""``uglymugs restore`` and ``uglymugs backup verify``: open a sealed backup and trust
nothing in it until every file matches the manifest.

Both need the report key that sealed the backup, so the key passphrase; the keys come
first (``uglymugs keys import``). ``verify`` reads the whole archive, hashing every
file, and writes nothing. ``restore`` extracts into a temporary directory inside the
data directory, checks the manifest there, and only then moves the files into place,
so a damaged archive changes nothing. It refuses a data directory that already holds
state unless forced, and then moves that state aside rather than deleting it. After a
restore the ledger is compared with the vault (:mod:`uglymugs.operations.reconcile`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
import shutil
import tarfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from uglymugs.config import Settings
from uglymugs.crypto.keys import KeyStoreError, unlock_report_keys
from uglymugs.operations.backup import DATABASES, MANIFEST_NAME, MANIFEST_SCHEMA
from uglymugs.operations.layout import existing_state, state_dirs
from uglymugs.operations.reconcile import LedgerCheck, check_ledger
from uglymugs.operations.sealed_stream import DamagedBackupError, SealedReader, read_header
from uglymugs.private_files import (
    DIRECTORY_MODE,
    FILE_MODE,
    TEMPORARY_PREFIX,
    ensure_private_dir,
)

SQLITE_SIDECARS = ("-journal", "-wal", "-shm")
_READ_SIZE = 64 * 1024


class RestoreRefusedError(Exception):
    """The data directory already holds a scheme, and the restore was not forced."""


class BackupKeyMissingError(KeyStoreError):
    """The backup was sealed to a report key that is not in the keys directory."""


@dataclass(frozen=True)
class Verified:
    """A backup whose every file matched its manifest."""

    manifest: dict[str, Any]

    def lines(self) -> list[str]:
        counts = self.manifest["counts"]
        described = ", ".join(f"{count} {name}" for name, count in sorted(counts.items()))
        return [
            f"The backup of {self.manifest['created_at']} is intact: "
            f"{len(self.manifest['files'])} files match their SHA-256 digests ({described})."
        ]


@dataclass(frozen=True)
class Restored:
    verified: Verified
    moved_aside: Path | None
    ledger: LedgerCheck

    def lines(self) -> list[str]:
        lines = [line.replace("is intact", "was restored") for line in self.verified.lines()]
        if self.moved_aside:
            lines.append(
                f"What the data directory held before is in {self.moved_aside}; "
                "delete it once the restored scheme is checked."
            )
        return lines + self.ledger.lines()


def verify_backup(path: Path, settings: Settings, passphrase: str) -> Verified:
    """Read the whole backup, hashing every file against the manifest; write nothing."""
    with _opened(path, settings.keys_dir, passphrase) as tar:
        return _walk(tar, path, state_dirs(settings), lambda _member: None)


def restore_backup(
    path: Path, settings: Settings, passphrase: str, *, force: bool = False
) -> Restored:
    """Restore ``path`` into the data directory, refusing one that holds state unless
    ``force``, in which case that state is moved aside first."""
    existing = existing_state(settings)
    if existing and not force:
        raise RestoreRefusedError(
            f"{settings.data_dir} already holds {', '.join(existing)}; restore into an empty "
            "data directory, or add --force to move these aside first"
        )
    # Private when created here; a directory someone chose keeps its mode.
    settings.data_dir.mkdir(mode=DIRECTORY_MODE, parents=True, exist_ok=True)
    staging = settings.data_dir / f"{TEMPORARY_PREFIX}restore-{secrets.token_hex(6)}"
    staging.mkdir(mode=DIRECTORY_MODE)
    try:
        verified = _extract(path, settings, passphrase, staging)
        moved = _move_aside(settings) if existing_state(settings) else None
        _move_into_place(staging, settings)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return Restored(verified, moved, check_ledger(settings))


def _extract(path: Path, settings: Settings, passphrase: str, staging: Path) -> Verified:
    def create(member: tarfile.TarInfo) -> BinaryIO:
        target = staging / member.name
        ensure_private_dir(target.parent)
        descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
        return os.fdopen(descriptor, "wb")

    with _opened(path, settings.keys_dir, passphrase) as tar:
        return _walk(tar, path, state_dirs(settings), create)


def _walk(
    tar: tarfile.TarFile,
    path: Path,
    directories: list[str],
    create: Callable[[tarfile.TarInfo], BinaryIO | None],
) -> Verified:
    """Hash every file of the archive (writing it to what ``create`` opens, if anything)
    and check them all against the manifest, which must come last."""
    seen = {}
    manifest = None
    for member in tar:
        if manifest is not None:
            raise DamagedBackupError(f"{member.name} follows the manifest; it cannot be")
        reader = tar.extractfile(_checked_member(member, path, directories))
        if member.name == MANIFEST_NAME:
            manifest = _parse_manifest(reader.read() if reader else b"")
            continue
        out = create(member)
        if out is None:
            seen[member.name] = _digest(reader, None)
            continue
        with out:
            seen[member.name] = _digest(reader, out)
            out.flush()
            os.fsync(out.fileno())
    return _matched(manifest, seen)


def _move_aside(settings: Settings) -> Path:
    """Move the state a restore replaces into ``before-restore-<time>/``; its path."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    aside = settings.data_dir / f"before-restore-{stamp}"
    aside.mkdir(mode=DIRECTORY_MODE)
    for name in existing_state(settings):
        name = name.rstrip("/")
        names = [name] + [name + suffix for suffix in SQLITE_SIDECARS]
        for each in names:
            with contextlib.suppress(FileNotFoundError):
                (settings.data_dir / each).rename(aside / each)
    return aside


def _move_into_place(staging: Path, settings: Settings) -> None:
    databases = staging / DATABASES
    for database in sorted(databases.iterdir()) if databases.is_dir() else []:
        target = settings.data_dir / database.name
        for suffix in SQLITE_SIDECARS:  # a stale journal would be replayed into the copy
            with contextlib.suppress(FileNotFoundError):
                Path(f"{target}{suffix}").unlink()
        database.rename(target)
    for directory in state_dirs(settings):
        if (staging / directory).is_dir():
            target = settings.data_dir / directory
            if target.exists():  # empty, or holding only temporary files
                shutil.rmtree(target)
            (staging / directory).rename(target)


@contextlib.contextmanager
def _opened(path: Path, keys_dir: Path, passphrase: str) -> Iterator[tarfile.TarFile]:
    with path.open("rb") as source:
        header = read_header(source)
        keys = unlock_report_keys(keys_dir, passphrase)
        if header.key_id not in keys:
            raise BackupKeyMissingError(
                f"this backup was sealed to report key {header.key_id}, which is not in "
                f"{keys_dir}: import the keys first (uglymugs keys import FILE)"
            )
        reader = SealedReader(source, header, keys[header.key_id])
        try:
            with tarfile.open(fileobj=reader, mode="r|") as tar:  # type: ignore[call-overload]
                yield tar
        except tarfile.TarError:
            raise DamagedBackupError("the archive inside this backup is damaged") from None


def _checked_member(member: tarfile.TarInfo, path: Path, directories: list[str]) -> tarfile.TarInfo:
    """Only regular files under the names a backup writes: nothing else is extracted."""
    name = PurePosixPath(member.name)
    parts = name.parts
    allowed = [DATABASES, *directories]
    safe = (
        member.isfile()
        and not name.is_absolute()
        and ".." not in parts
        and (member.name == MANIFEST_NAME or (len(parts) >= 2 and parts[0] in allowed))
        and (parts[0] != DATABASES or len(parts) == 2)
    )
    if not safe:
        raise DamagedBackupError(f"{path} holds an entry no backup writes; refusing it")
    return member


def _digest(reader: Any, out: Any) -> dict[str, int | str]:
    hasher = hashlib.sha256()
    size = 0
    while reader is not None and (chunk := reader.read(_READ_SIZE)):
        hasher.update(chunk)
        size += len(chunk)
        if out is not None:
            out.write(chunk)
    return {"size": size, "sha256": hasher.hexdigest()}


def _parse_manifest(data: bytes) -> dict[str, Any]:
    try:
        manifest = json.loads(data)
    except ValueError:
        manifest = None
    if not isinstance(manifest, dict) or manifest.get("schema") != MANIFEST_SCHEMA:
        raise DamagedBackupError(f"the backup's manifest is not a {MANIFEST_SCHEMA} document")
    return manifest


def _matched(manifest: dict[str, Any] | None, seen: dict[str, dict[str, int | str]]) -> Verified:
    if manifest is None:
        raise DamagedBackupError("the backup has no manifest: it was cut short")
    listed = manifest.get("files")
    if listed != seen:
        listed = listed if isinstance(listed, dict) else {}
        wrong = sorted(
            name for name in listed.keys() | seen.keys() if listed.get(name) != seen.get(name)
        )
        raise DamagedBackupError(
            f"{len(wrong)} files do not match the manifest (first: {wrong[0]}); "
            "the backup cannot be trusted"
        )
    return Verified(manifest)
