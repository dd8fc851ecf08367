"""The signed manifest: which sequence is current, and every file of it with its digest.

``manifest.json`` is one canonical JSON object ``{"key_id", "manifest", "signature"}``;
``signature`` is the Ed25519 signature over the canonical bytes of ``manifest``, which
names the sequence, its prefix, and for every file its SHA-256, size and (for bundles
and printable pages) its signature. Replacing this one object is the switch from one
published set to the next, and it is signed, so a reader who trusts the manifest can
trust every file whose digest matches it.

Readers use :func:`read_published`: manifest first, then the files it names. If a file
is missing because a newer publish pruned it meanwhile, they start again from the new
manifest; they never combine files of two sequences.

>>> published = read_published(shelf, verify_keys)  # doctest: +SKIP
>>> published.manifest.sequence, sorted(published.files)[:1]  # doctest: +SKIP
(42, ['changes/seq-000042.json'])
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from nacl.signing import SigningKey

from uglymugs.alerts.canonical import canonical_bytes, is_canonical
from uglymugs.alerts.shelf import BundleShelf, check_name
from uglymugs.alerts.signing import (
    BundleSignatureError,
    check_signature,
    sha256_hex,
    signature_b64,
)

MANIFEST_FORMAT = "uglymugs.manifest/1"
SEQUENCE_PREFIX = re.compile(r"seq-(\d{6})/")
_SHA256 = re.compile(r"[0-9a-f]{64}")
_ENVELOPE_FIELDS = frozenset({"key_id", "manifest", "signature"})
READ_ATTEMPTS = 5


class ManifestError(BundleSignatureError):
    """A manifest, or a file it names, that cannot be trusted or is not there."""


class ManifestChangingError(ManifestError):
    """The files a manifest named kept going missing: publishes ran while reading."""


@dataclass(frozen=True)
class FileEntry:
    sha256: str
    size: int
    signature: str | None = None  # base64 Ed25519 signature, for bundles and pages

    def as_document(self) -> dict[str, Any]:
        document: dict[str, Any] = {"sha256": self.sha256, "size": self.size}
        if self.signature is not None:
            document["signature"] = self.signature
        return document


@dataclass(frozen=True)
class Manifest:
    """A verified manifest."""

    key_id: str
    sequence: int
    previous_sequence: int | None
    generated_at: str
    content_digest: str
    versions: str  # name of this sequence's versions.json
    changes: str  # name of this sequence's change record
    files: Mapping[str, FileEntry]

    @property
    def prefix(self) -> str:
        return sequence_prefix(self.sequence)


@dataclass(frozen=True)
class Published:
    """A manifest and the files it names, every one checked against it."""

    manifest: Manifest
    files: Mapping[str, bytes]


def sequence_prefix(sequence: int) -> str:
    return f"seq-{sequence:06d}/"


def sequence_of(name: str) -> int | None:
    """The sequence a shelf name belongs to (``seq-000042/…`` → 42), else None."""
    match = SEQUENCE_PREFIX.match(name)
    return int(match.group(1)) if match else None


def sign_manifest(
    *,
    sequence: int,
    previous_sequence: int | None,
    generated_at: str,
    content_digest: str,
    versions: str,
    changes: str,
    files: Mapping[str, FileEntry],
    signing_key: SigningKey,
    key_id: str,
) -> bytes:
    """The bytes of ``manifest.json``."""
    for name in (versions, changes):
        if name not in files:
            raise ValueError(f"the manifest must list {name}")
    manifest = {
        "format": MANIFEST_FORMAT,
        "sequence": sequence,
        "previous_sequence": previous_sequence,
        "generated_at": generated_at,
        "content_digest": content_digest,
        "versions": versions,
        "changes": changes,
        "files": {check_name(name): entry.as_document() for name, entry in files.items()},
    }
    signature = signature_b64(canonical_bytes(manifest), signing_key)
    return canonical_bytes({"key_id": key_id, "manifest": manifest, "signature": signature})


def verify_manifest(data: bytes, verify_keys: Mapping[str, bytes]) -> Manifest:
    """Check the manifest's signature and form; raise :class:`ManifestError` if either fails."""
    try:
        envelope = json.loads(data)
    except (ValueError, RecursionError):
        raise ManifestError("manifest: not JSON") from None
    if (
        not isinstance(envelope, dict)
        or set(envelope) != _ENVELOPE_FIELDS
        or not isinstance(envelope["key_id"], str)
        or not isinstance(envelope["signature"], str)
        or not isinstance(envelope["manifest"], dict)
        or not is_canonical(data)
    ):
        raise ManifestError(
            'manifest: malformed: expected canonical JSON with exactly "key_id", "manifest" '
            'and "signature"'
        )
    inner = envelope["manifest"]
    try:
        check_signature(
            canonical_bytes(inner),
            envelope["key_id"],
            envelope["signature"],
            verify_keys,
            "manifest",
        )
    except BundleSignatureError as error:
        raise ManifestError(str(error)) from None
    return _parse(inner, envelope["key_id"])


def read_published(
    shelf: BundleShelf,
    verify_keys: Mapping[str, bytes],
    names: Iterable[str] | Callable[[Manifest], Iterable[str]] | None = None,
    *,
    verify: Callable[[bytes], Manifest] | None = None,
) -> Published | None:
    """The current manifest and the files it names (all, or ``names``), all checked.

    The one reader of a publish, for notify, the member API and the tests. ``names`` may
    be a function of the manifest (a bundle's name holds its sequence's prefix);
    ``verify`` replaces :func:`verify_manifest` (the member API reuses the verification
    of bytes it has seen). None when nothing was ever published. A file whose bytes
    differ from the manifest raises :class:`ManifestError`; a file missing because a
    newer publish pruned it sends the reader back to the new manifest (a few times at
    most), then :class:`ManifestChangingError`.
    """
    fixed = None if names is None or callable(names) else list(names)
    last_sequence = None
    for _ in range(READ_ATTEMPTS):
        data = shelf.get_manifest()
        if data is None:
            return None
        manifest = verify(data) if verify else verify_manifest(data, verify_keys)
        if manifest.sequence == last_sequence:
            raise ManifestChangingError(
                f"manifest {manifest.sequence} names a file that is not there"
            )
        last_sequence = manifest.sequence
        wanted = names(manifest) if callable(names) else fixed
        files = {}
        for name in manifest.files if wanted is None else wanted:
            content = read_file(shelf, manifest, name)
            if content is None:
                break
            files[name] = content
        else:
            return Published(manifest, files)
    raise ManifestChangingError(
        f"the manifest kept changing while reading ({READ_ATTEMPTS} attempts)"
    )


def read_file(shelf: BundleShelf, manifest: Manifest, name: str) -> bytes | None:
    """A file the manifest names, checked against it; None if it is not (or no longer) there."""
    entry = manifest.files.get(name)
    if entry is None:
        raise ManifestError(f"manifest {manifest.sequence} does not name {name}")
    content = shelf.get(name)
    if content is None:
        return None
    if len(content) != entry.size or sha256_hex(content) != entry.sha256:
        raise ManifestError(
            f"{name}: digest mismatch: its bytes are not the ones manifest {manifest.sequence} "
            "signed"
        )
    return content


def _parse(inner: dict[str, Any], key_id: str) -> Manifest:
    def fail(what: str) -> ManifestError:
        return ManifestError(f"manifest: signed, but {what}")

    if inner.get("format") != MANIFEST_FORMAT:
        raise fail(f"not a {MANIFEST_FORMAT} document")
    sequence, previous = inner.get("sequence"), inner.get("previous_sequence")
    if not isinstance(sequence, int) or isinstance(sequence, bool) or sequence < 1:
        raise fail("its sequence is not a positive integer")
    if previous is not None and (not isinstance(previous, int) or previous >= sequence):
        raise fail("its previous_sequence is not an earlier sequence")
    names = ("generated_at", "content_digest", "versions", "changes")
    strings = {key: value for key in names if isinstance(value := inner.get(key), str)}
    if len(strings) != len(names):
        raise fail("a field is missing or not a string")
    files: dict[str, FileEntry] = {}
    listed = inner.get("files")
    if not isinstance(listed, dict):
        raise fail("it lists no files")
    for name, entry in listed.items():
        try:
            check_name(name)
            if set(entry) - {"sha256", "size", "signature"} or not _SHA256.fullmatch(
                entry["sha256"]
            ):
                raise ValueError
            size, signature = entry["size"], entry.get("signature")
            if not isinstance(size, int) or size < 0:
                raise ValueError
            if signature is not None and not isinstance(signature, str):
                raise ValueError
        except (ValueError, TypeError, KeyError):
            raise fail(f"its entry for {name!r} is malformed") from None
        files[name] = FileEntry(entry["sha256"], size, signature)
    if strings["versions"] not in files or strings["changes"] not in files:
        raise fail("it does not list its versions and changes files")
    return Manifest(
        key_id=key_id,
        sequence=sequence,
        previous_sequence=previous,
        generated_at=strings["generated_at"],
        content_digest=strings["content_digest"],
        versions=strings["versions"],
        changes=strings["changes"],
        files=files,
    )
