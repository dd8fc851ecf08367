"""The scheme's two key pairs, on disk under ``keys_dir``, private halves sealed.

The **report key** (X25519) is what browsers seal reports to; only staff hold its
private half. The **bundle key** (Ed25519) signs alert bundles; members' browsers
check the signature with its verify key. Each key lives in its own JSON file, named
by its key id: the public half in the clear, the private half sealed under the
passphrase (:mod:`uglymugs.crypto.passphrase_box`). Files are mode 0600 in a 0700
directory and are never overwritten.

The **case key** (a secretbox key, symmetric) seals case records before they are
stored (:mod:`uglymugs.cases`). It has no public half: its file's ``public_key`` holds
a BLAKE2b commitment to the key instead, from which its id is derived and against
which an unsealed key is checked. It is never exported for publishing.

Report and case keys form rings: rotation adds a new key of each and keeps the old
ones, so reports and case records sealed to an old key still open. The newest report
key is the current one, the one published in ``/keys.json``; the newest case key is
the one new case records are sealed with. A key ring made before case keys existed
gets one with :func:`add_case_key` (``uglymugs keys add-case-key``).

>>> public = create_keys(tmp_path / "keys", "correct horse", kdf=TEST_KDF)  # doctest: +SKIP
>>> sorted(public.as_document())  # doctest: +SKIP
['bundle', 'report']
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import MappingProxyType
from typing import Any

import nacl.secret
import nacl.utils
from nacl.public import PrivateKey
from nacl.signing import SigningKey

from uglymugs.config import DEV_PASSPHRASE, Settings
from uglymugs.crypto.passphrase_box import (
    DEFAULT_KDF,
    KdfParams,
    MalformedSecretError,
    PassphraseMismatchError,
    open_secret,
    seal_secret,
)
from uglymugs.private_files import ensure_private_dir, write_new_file

SCHEMA = "uglymugs.key/1"
EXPORT_SCHEMA = "uglymugs.keys-for-publishing/1"
BACKUP_SCHEMA = "uglymugs.keys-backup/1"
REPORT = "report"
BUNDLE = "bundle"
CASE = "case"
_KEY_ID_PERSON = b"uglymugs-key-id"  # BLAKE2b personalisation: ids mean nothing elsewhere
_CASE_CHECK_PERSON = b"uglymugs-case"  # the case key's commitment, in place of a public half
SIGNING_SEED_SIZE = 32  # an Ed25519 signing key is stored as its 32-byte seed


class KeyStoreError(Exception):
    """A problem with the key files that the person at the terminal can fix."""


class KeysMissingError(KeyStoreError):
    """There are no keys (or not both kinds) in the keys directory."""


class KeysExistError(KeyStoreError):
    """Keys already exist where new ones would be created; they are never overwritten."""


class CorruptKeyFileError(KeyStoreError):
    """A key file that is not valid JSON, not in the key format, or inconsistent."""


class EmptyPassphraseError(KeyStoreError):
    """An empty passphrase, which would leave the private keys unprotected."""


class WrongPassphraseError(KeyStoreError):
    """A passphrase that does not open a key file."""


class PublicOnlyKeyError(KeyStoreError):
    """A key file exported for publishing: it holds the public half only."""


@dataclass(frozen=True)
class PublicKeys:
    """The public halves: what the site publishes and the report API accepts."""

    report_key_id: str
    report_public_key: bytes
    report_ring: Mapping[str, bytes]  # every report key id -> its public key, current included
    bundle_key_id: str
    bundle_verify_key: bytes

    def as_document(self) -> dict[str, dict[str, str]]:
        """The ``/keys.json`` document: current report key and bundle verify key."""
        return {
            "report": {"key_id": self.report_key_id, "public_key": _b64(self.report_public_key)},
            "bundle": {"key_id": self.bundle_key_id, "verify_key": _b64(self.bundle_verify_key)},
        }


@dataclass(frozen=True)
class _KeyFile:
    path: Path
    kind: str
    key_id: str
    public_key: bytes
    created_at: str
    sealed_private_key: Mapping[str, Any] | None  # None: exported for publishing


def key_id_for(kind: str, public_key: bytes) -> str:
    """A short, stable id derived from a public key, e.g. ``report-k3qz7m2a``."""
    digest = hashlib.blake2b(public_key, digest_size=5, person=_KEY_ID_PERSON).digest()
    return f"{kind}-{base64.b32encode(digest).decode('ascii').lower()}"


def case_key_check(key: bytes) -> bytes:
    """The 32-byte commitment to a case key stored in its file (its id comes from it)."""
    return hashlib.blake2b(key, digest_size=32, person=_CASE_CHECK_PERSON).digest()


def create_keys(keys_dir: Path, passphrase: str, kdf: KdfParams = DEFAULT_KDF) -> PublicKeys:
    """Create a report key, a bundle key and a case key sealed under ``passphrase``.

    Raises :class:`KeysExistError` if any key is already in ``keys_dir``.
    """
    _check_passphrase(passphrase)
    if _key_paths(keys_dir, REPORT) or _key_paths(keys_dir, BUNDLE) or has_case_key(keys_dir):
        raise KeysExistError(
            f"keys already exist in {keys_dir}; refusing to overwrite them "
            "(reports sealed to them could never be read again)"
        )
    report = PrivateKey.generate()
    _write_key_file(keys_dir, REPORT, bytes(report.public_key), bytes(report), passphrase, kdf)
    bundle = SigningKey.generate()
    _write_key_file(keys_dir, BUNDLE, bytes(bundle.verify_key), bytes(bundle), passphrase, kdf)
    _write_case_key(keys_dir, passphrase, kdf)
    return load_public_keys(keys_dir)


def add_case_key(keys_dir: Path, passphrase: str, kdf: KdfParams = DEFAULT_KDF) -> str:
    """Add a new current case key to the ring (a ring made before case keys existed
    has none); its id. The passphrase must open the report keys, so the ring keeps one."""
    unlock_report_keys(keys_dir, passphrase)
    return _write_case_key(keys_dir, passphrase, kdf)


def has_case_key(keys_dir: Path) -> bool:
    return bool(_key_paths(keys_dir, CASE))


def unlock_case_keys(keys_dir: Path, passphrase: str) -> dict[str, bytes]:
    """Every case key by key id, oldest first (the last is current: new records are
    sealed with it)."""
    if not has_case_key(keys_dir):
        raise KeysMissingError(
            f"no case key in {keys_dir}: run `uglymugs keys add-case-key` (key rings made "
            "before case records existed have none)"
        )
    keys = {}
    for key_file in _load_kind(keys_dir, CASE):
        secret = _open(key_file, passphrase, nacl.secret.SecretBox.KEY_SIZE)
        _check_pair(key_file, case_key_check(secret))
        keys[key_file.key_id] = secret
    return keys


def _write_case_key(keys_dir: Path, passphrase: str, kdf: KdfParams) -> str:
    key = nacl.utils.random(nacl.secret.SecretBox.KEY_SIZE)
    check = case_key_check(key)
    _write_key_file(keys_dir, CASE, check, key, passphrase, kdf)
    return key_id_for(CASE, check)


def rotate_report_key(keys_dir: Path, passphrase: str, kdf: KdfParams = DEFAULT_KDF) -> PublicKeys:
    """Add a new current report key and a new current case key; older keys stay in the
    rings to open old reports and case records.

    The passphrase must open the existing report keys, so the whole ring keeps one.
    """
    unlock_report_keys(keys_dir, passphrase)
    report = PrivateKey.generate()
    _write_key_file(keys_dir, REPORT, bytes(report.public_key), bytes(report), passphrase, kdf)
    _write_case_key(keys_dir, passphrase, kdf)
    return load_public_keys(keys_dir)


def load_public_keys(keys_dir: Path) -> PublicKeys:
    """The public halves of every key; no passphrase needed."""
    reports = _load_kind(keys_dir, REPORT)
    bundle = _load_kind(keys_dir, BUNDLE)[-1]
    current = reports[-1]
    return PublicKeys(
        report_key_id=current.key_id,
        report_public_key=current.public_key,
        report_ring=MappingProxyType({key.key_id: key.public_key for key in reports}),
        bundle_key_id=bundle.key_id,
        bundle_verify_key=bundle.public_key,
    )


def unlock_report_keys(keys_dir: Path, passphrase: str) -> dict[str, PrivateKey]:
    """Every report private key by key id, to open reports sealed to any of them."""
    keys = {}
    for key_file in _load_kind(keys_dir, REPORT):
        private = PrivateKey(_open(key_file, passphrase, PrivateKey.SIZE))
        _check_pair(key_file, bytes(private.public_key))
        keys[key_file.key_id] = private
    return keys


def unlock_bundle_key(keys_dir: Path, passphrase: str) -> SigningKey:
    """The current bundle signing key."""
    key_file = _load_kind(keys_dir, BUNDLE)[-1]
    signing = SigningKey(_open(key_file, passphrase, SIGNING_SEED_SIZE))
    _check_pair(key_file, bytes(signing.verify_key))
    return signing


def export_for_publishing(keys_dir: Path) -> bytes:
    """One JSON document for CI: the current bundle key, and report keys public only.

    The publish job must sign bundles and publish the report key, but must never be
    able to open a report, so report key files lose their sealed private half here.
    """
    documents = []
    for key_file in _load_kind(keys_dir, REPORT):
        documents.append({**json.loads(key_file.path.read_bytes()), "sealed_private_key": None})
    documents.append(json.loads(_load_kind(keys_dir, BUNDLE)[-1].path.read_bytes()))
    return (json.dumps({"schema": EXPORT_SCHEMA, "keys": documents}, indent=2) + "\n").encode()


def import_for_publishing(export: bytes, keys_dir: Path) -> list[str]:
    """Write the key files of :func:`export_for_publishing` into ``keys_dir``; their ids."""
    try:
        document = json.loads(export)
        keys = document["keys"] if document.get("schema") == EXPORT_SCHEMA else None
    except (ValueError, AttributeError, TypeError):
        keys = None
    if not isinstance(keys, list):
        raise CorruptKeyFileError(f"not a {EXPORT_SCHEMA} document")
    ensure_private_dir(keys_dir)
    written = []
    for key in keys:
        key_id = str(key.get("key_id", "")) if isinstance(key, dict) else ""
        path = keys_dir / f"{key_id}.json"
        if not key_id or not write_new_file(path, (json.dumps(key, indent=2) + "\n").encode()):
            raise KeysExistError(f"key file {path} already exists or has no key id")
        _read_key_file(path, key.get("kind", ""))  # refuse anything malformed at once
        written.append(key_id)
    return written


def export_keys(keys_dir: Path, passphrase: str) -> bytes:
    """Every key file, whole, in one ``uglymugs.keys-backup/1`` document, for a backup.

    Each private half stays sealed under the key passphrase exactly as on disk, so the
    export is as safe as the key files and opens with the same passphrase. The
    passphrase must open every key now: an export nobody can open is found out today,
    not on the day it is needed.
    """
    unlock_report_keys(keys_dir, passphrase)
    unlock_bundle_key(keys_dir, passphrase)
    kinds = (REPORT, BUNDLE, CASE) if has_case_key(keys_dir) else (REPORT, BUNDLE)
    if CASE in kinds:  # case records open with nothing else: back the case keys up too
        unlock_case_keys(keys_dir, passphrase)
    documents = [
        json.loads(key_file.path.read_bytes())
        for kind in kinds
        for key_file in _load_kind(keys_dir, kind)
    ]
    exported_at = datetime.now(UTC).isoformat(timespec="seconds")
    document = {"schema": BACKUP_SCHEMA, "exported_at": exported_at, "keys": documents}
    return (json.dumps(document, indent=2) + "\n").encode("utf-8")


def import_keys(export: bytes, keys_dir: Path, passphrase: str) -> list[str]:
    """Write the key files of :func:`export_keys` into ``keys_dir``; the ids written.

    Refuses, writing nothing, when the passphrase does not open every key or when the
    keys directory holds a key the export does not (it would become the current key
    of a ring that restored reports were not sealed to). Identical files are skipped.
    """
    keys = _backup_documents(export)
    with tempfile.TemporaryDirectory() as scratch:
        staged = import_for_publishing(
            json.dumps({"schema": EXPORT_SCHEMA, "keys": keys}).encode(), Path(scratch)
        )
        unlock_report_keys(Path(scratch), passphrase)
        unlock_bundle_key(Path(scratch), passphrase)
        if has_case_key(Path(scratch)):
            unlock_case_keys(Path(scratch), passphrase)
        existing = {
            path.stem for kind in (REPORT, BUNDLE, CASE) for path in _key_paths(keys_dir, kind)
        }
        if existing - set(staged):
            raise KeysExistError(
                f"{keys_dir} holds keys that are not in this export "
                f"({', '.join(sorted(existing - set(staged)))}); move them away first"
            )
        written = []
        for key_id in staged:
            data = (Path(scratch) / f"{key_id}.json").read_bytes()
            path = keys_dir / f"{key_id}.json"
            if path.exists() and path.read_bytes() != data:
                raise KeysExistError(f"key file {path} exists with other content")
            if not path.exists():
                ensure_private_dir(keys_dir)
                write_new_file(path, data)
                written.append(key_id)
    return written


def _backup_documents(export: bytes) -> list[dict[str, Any]]:
    try:
        document = json.loads(export)
        keys = document["keys"] if document.get("schema") == BACKUP_SCHEMA else None
    except (ValueError, AttributeError, TypeError):
        keys = None
    if not isinstance(keys, list) or not all(isinstance(key, dict) for key in keys):
        raise CorruptKeyFileError(f"not a {BACKUP_SCHEMA} document")
    if any(key.get("sealed_private_key") is None for key in keys):
        raise PublicOnlyKeyError("this export lacks private keys (made for publishing?)")
    return keys


def ensure_dev_keys(settings: Settings, kdf: KdfParams = DEFAULT_KDF) -> bool:
    """Create keys for ``uglymugs dev`` unless present; return True when it created them.

    The passphrase is the settings' (``$UGLYMUGS_KEY_PASSPHRASE``), or ``dev`` when unset.
    """
    if _key_paths(settings.keys_dir, REPORT) and _key_paths(settings.keys_dir, BUNDLE):
        if not has_case_key(settings.keys_dir):  # made before case keys existed
            add_case_key(settings.keys_dir, settings.passphrase or DEV_PASSPHRASE, kdf)
        return False
    create_keys(settings.keys_dir, settings.passphrase or DEV_PASSPHRASE, kdf)
    return True


def _check_passphrase(passphrase: str) -> None:
    if not passphrase:
        raise EmptyPassphraseError("the passphrase must not be empty")


def _key_paths(keys_dir: Path, kind: str) -> list[Path]:
    if not keys_dir.is_dir():
        return []
    return sorted(keys_dir.glob(f"{kind}-*.json"))


def _write_key_file(
    keys_dir: Path, kind: str, public: bytes, private: bytes, passphrase: str, kdf: KdfParams
) -> None:
    _check_passphrase(passphrase)
    ensure_private_dir(keys_dir)
    key_id = key_id_for(kind, public)
    document = {
        "schema": SCHEMA,
        "kind": kind,
        "key_id": key_id,
        "public_key": _b64(public),
        "created_at": datetime.now(UTC).isoformat(timespec="microseconds"),
        "sealed_private_key": seal_secret(private, passphrase, kdf),
    }
    data = (json.dumps(document, indent=2) + "\n").encode("utf-8")
    if not write_new_file(keys_dir / f"{key_id}.json", data):
        raise KeysExistError(f"key file {keys_dir / key_id}.json already exists")


def _load_kind(keys_dir: Path, kind: str) -> list[_KeyFile]:
    """Key files of one kind, oldest first (the last is the current key)."""
    paths = _key_paths(keys_dir, kind)
    if not paths:
        raise KeysMissingError(f"no {kind} key in {keys_dir}: run `uglymugs keys init` first")
    return sorted((_read_key_file(path, kind) for path in paths), key=_age)


def _age(key_file: _KeyFile) -> tuple[str, str]:
    return (key_file.created_at, key_file.key_id)


def _read_key_file(path: Path, kind: str) -> _KeyFile:
    try:
        document = json.loads(path.read_bytes())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise CorruptKeyFileError(f"key file {path} cannot be read as JSON: {error}") from None
    if not isinstance(document, dict) or document.get("schema") != SCHEMA:
        raise CorruptKeyFileError(f"key file {path} is not a {SCHEMA} document")
    public = _decode_public(path, document.get("public_key"))
    key_id = document.get("key_id")
    if document.get("kind") != kind or key_id != path.stem or key_id != key_id_for(kind, public):
        raise CorruptKeyFileError(
            f"key file {path}: its kind, key id, file name and public key do not match"
        )
    created_at = document.get("created_at")
    sealed = document.get("sealed_private_key")
    if not isinstance(created_at, str) or not (sealed is None or isinstance(sealed, dict)):
        raise CorruptKeyFileError(f"key file {path} lacks created_at or sealed_private_key")
    return _KeyFile(path, kind, str(key_id), public, created_at, sealed)


def _decode_public(path: Path, value: object) -> bytes:
    try:
        public = base64.b64decode(value, validate=True) if isinstance(value, str) else b""
    except (binascii.Error, ValueError):
        public = b""
    if len(public) != 32:
        raise CorruptKeyFileError(f"key file {path}: public_key is not 32 bytes of base64")
    return public


def _open(key_file: _KeyFile, passphrase: str, size: int) -> bytes:
    if key_file.sealed_private_key is None:
        raise PublicOnlyKeyError(
            f"key file {key_file.path} holds only the public half (exported for publishing)"
        )
    try:
        secret = open_secret(key_file.sealed_private_key, passphrase)
    except PassphraseMismatchError:
        raise WrongPassphraseError(f"wrong passphrase for key file {key_file.path}") from None
    except MalformedSecretError as error:
        raise CorruptKeyFileError(f"key file {key_file.path}: {error}") from None
    if len(secret) != size:
        raise CorruptKeyFileError(f"key file {key_file.path}: the private key is not {size} bytes")
    return secret


def _check_pair(key_file: _KeyFile, derived_public: bytes) -> None:
    if derived_public != key_file.public_key:
        raise CorruptKeyFileError(
            f"key file {key_file.path}: the private key does not match the public key"
        )


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")
