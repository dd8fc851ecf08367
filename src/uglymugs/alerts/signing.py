"""Detached Ed25519 signatures over bundle bytes, and their verification.

Every published file ``<name>`` has a signature file ``<name>.sig`` holding the
canonical JSON ``{"key_id", "signature", "signed"}``: the id of the bundle key, the
base64 of the 64-byte Ed25519 signature over the file's bytes themselves, and the
SHA-256 (hex) of those bytes. The digest adds no security (the signature covers every
byte); it lets a failure say *which* thing is wrong: an unknown key, a file that is
not the one that was signed, or a signature that does not verify.

Ed25519 is deterministic, so the same bytes and key always give the same signature.

>>> signature = sign_detached(bundle, signing_key, key_id)  # doctest: +SKIP
>>> keys = {key_id: bytes(signing_key.verify_key)}  # doctest: +SKIP
>>> verify_bundle(bundle, signature, keys).scope  # doctest: +SKIP
'all'
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nacl.exceptions import BadSignatureError
from nacl.signing import SigningKey, VerifyKey

from uglymugs.alerts.bundles import BUNDLE_FORMAT
from uglymugs.alerts.canonical import canonical_bytes, is_canonical

SIGNATURE_SUFFIX = ".sig"
SIGNATURE_SIZE = 64
VERIFY_KEY_SIZE = 32
_SIGNATURE_FIELDS = frozenset({"key_id", "signature", "signed"})


class BundleSignatureError(Exception):
    """A bundle, manifest or record whose signature cannot be trusted; says what failed."""


class BundleFormatError(Exception):
    """Correctly signed bytes that are not a bundle this code understands."""


@dataclass(frozen=True)
class VerifiedBundle:
    """A bundle whose signature verified, parsed."""

    key_id: str
    sha256: str
    scope: str
    sequence: int
    generated_at: str
    alerts: tuple[dict[str, Any], ...]


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def signature_b64(data: bytes, signing_key: SigningKey) -> str:
    """Base64 of the Ed25519 signature of ``data`` (64 bytes, standard alphabet, padded)."""
    return base64.b64encode(signing_key.sign(data).signature).decode("ascii")


def sign_detached(data: bytes, signing_key: SigningKey, key_id: str) -> bytes:
    """The bytes of the ``.sig`` file for ``data``."""
    return signature_file(key_id, signature_b64(data, signing_key), sha256_hex(data))


def signature_file(key_id: str, signature: str, sha256: str) -> bytes:
    """A ``.sig`` file from a signature already made (base64) and the data's SHA-256."""
    return canonical_bytes({"key_id": key_id, "signature": signature, "signed": sha256})


def verify_keys_for(public_keys: Any) -> dict[str, bytes]:
    """``{key_id: verify_key}`` from :class:`uglymugs.crypto.keys.PublicKeys`."""
    return {public_keys.bundle_key_id: public_keys.bundle_verify_key}


def check_signature(
    data: bytes, key_id: str, signature: str, verify_keys: Mapping[str, bytes], what: str
) -> None:
    """Raise :class:`BundleSignatureError` unless ``signature`` by ``key_id`` signs ``data``.

    ``signature`` is base64 and must be in its one canonical spelling, so that no
    changed character of a signature file can leave it valid.
    """
    verify_key = verify_keys.get(key_id)
    if verify_key is None:
        known = ", ".join(sorted(verify_keys)) or "none"
        raise BundleSignatureError(f"{what}: signed by unknown key id {key_id!r} (known: {known})")
    raw = _decode_signature(signature, what)
    if len(verify_key) != VERIFY_KEY_SIZE:
        raise BundleSignatureError(f"{what}: verify key {key_id!r} is not {VERIFY_KEY_SIZE} bytes")
    try:
        VerifyKey(bytes(verify_key)).verify(data, raw)
    except BadSignatureError:
        raise BundleSignatureError(
            f"{what}: bad signature: the Ed25519 signature by {key_id} does not match the bytes"
        ) from None


def verify_detached(data: bytes, signature_file: bytes, verify_keys: Mapping[str, bytes]) -> str:
    """Check ``data`` against the bytes of its ``.sig`` file; return the signing key id."""
    return _verify_detached(data, signature_file, verify_keys, "bundle")


def verify_bundle(
    bundle_bytes: bytes, signature_bytes: bytes, verify_keys: Mapping[str, bytes]
) -> VerifiedBundle:
    """Verify a bundle against its signature file, then parse it.

    Raises :class:`BundleSignatureError` (unknown key id, digest mismatch, bad
    signature, malformed signature file) or :class:`BundleFormatError`.
    """
    key_id = _verify_detached(bundle_bytes, signature_bytes, verify_keys, "bundle")
    return _parse_bundle(bundle_bytes, key_id)


def verify_bundle_file(path: Path, verify_keys: Mapping[str, bytes]) -> VerifiedBundle:
    """Verify ``path`` against ``path.sig`` (the file beside it) and parse it."""
    path = Path(path)
    signature_path = path.with_name(path.name + SIGNATURE_SUFFIX)
    try:
        bundle_bytes = path.read_bytes()
    except OSError as error:
        raise BundleSignatureError(f"{path}: cannot be read: {error.strerror}") from None
    try:
        signature_bytes = signature_path.read_bytes()
    except OSError as error:
        raise BundleSignatureError(
            f"{path}: its signature file {signature_path.name} cannot be read: {error.strerror}"
        ) from None
    key_id = _verify_detached(bundle_bytes, signature_bytes, verify_keys, str(path))
    try:
        return _parse_bundle(bundle_bytes, key_id)
    except BundleFormatError as error:
        raise BundleFormatError(f"{path}: {error}") from None


def _verify_detached(
    data: bytes, signature_file: bytes, verify_keys: Mapping[str, bytes], what: str
) -> str:
    document = _parse_signature_file(signature_file, what)
    actual = sha256_hex(data)
    if actual != document["signed"]:
        raise BundleSignatureError(
            f"{what}: digest mismatch: its SHA-256 is {actual} but the signature file signed "
            f"{document['signed']} (the file or its signature file was changed, or they do not "
            "belong together)"
        )
    check_signature(data, document["key_id"], document["signature"], verify_keys, what)
    return document["key_id"]


def _parse_signature_file(signature_file: bytes, what: str) -> dict[str, str]:
    malformed = BundleSignatureError(
        f"{what}: malformed signature file: expected canonical JSON with exactly "
        '"key_id", "signature" and "signed"'
    )
    try:
        document = json.loads(signature_file)
    except (ValueError, RecursionError):
        raise malformed from None
    if (
        not isinstance(document, dict)
        or set(document) != _SIGNATURE_FIELDS
        or not all(isinstance(value, str) for value in document.values())
        or not is_canonical(signature_file)
    ):
        raise malformed
    return document


def _decode_signature(signature: str, what: str) -> bytes:
    try:
        raw = base64.b64decode(signature, validate=True)
    except (binascii.Error, ValueError):
        raw = b""
    # Re-encoding rejects a changed padding bit, which b64decode would ignore.
    if len(raw) != SIGNATURE_SIZE or base64.b64encode(raw).decode("ascii") != signature:
        raise BundleSignatureError(
            f"{what}: malformed signature: not the base64 of {SIGNATURE_SIZE} bytes"
        )
    return raw


def _parse_bundle(bundle_bytes: bytes, key_id: str) -> VerifiedBundle:
    try:
        document = json.loads(bundle_bytes)
    except (ValueError, RecursionError):
        raise BundleFormatError("the signed bytes are not JSON") from None
    if not isinstance(document, dict) or document.get("format") != BUNDLE_FORMAT:
        raise BundleFormatError(f"not a {BUNDLE_FORMAT} bundle")
    scope, sequence = document.get("scope"), document.get("sequence")
    generated_at, alerts = document.get("generated_at"), document.get("alerts")
    if not (
        isinstance(scope, str)
        and isinstance(sequence, int)
        and isinstance(generated_at, str)
        and isinstance(alerts, list)
        and all(isinstance(alert, dict) for alert in alerts)
    ):
        raise BundleFormatError(f"a {BUNDLE_FORMAT} bundle with missing or mistyped fields")
    return VerifiedBundle(
        key_id=key_id,
        sha256=sha256_hex(bundle_bytes),
        scope=scope,
        sequence=sequence,
        generated_at=generated_at,
        alerts=tuple(alerts),
    )
