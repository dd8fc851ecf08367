"""Signatures: round trip, any changed byte refused with a message saying what failed."""

import base64
import json
from datetime import UTC, datetime

import pytest
from nacl.signing import SigningKey

from tests.alerts.bundle_records import some_records
from uglymugs.alerts.bundles import build_bundles
from uglymugs.alerts.canonical import canonical_bytes
from uglymugs.alerts.manifest import FileEntry, ManifestError, sign_manifest, verify_manifest
from uglymugs.alerts.signing import (
    BundleFormatError,
    BundleSignatureError,
    sha256_hex,
    sign_detached,
    verify_bundle,
    verify_bundle_file,
    verify_detached,
)

KEY_ID = "bundle-testkey1"
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
FAILURES = (
    "malformed signature file",
    "malformed signature",
    "signed by unknown key id",
    "digest mismatch",
    "bad signature",
)


@pytest.fixture(scope="module")
def key():
    return SigningKey(b"\x01" * 32)


@pytest.fixture(scope="module")
def verify_keys(key):
    return {KEY_ID: bytes(key.verify_key)}


@pytest.fixture(scope="module")
def bundles():
    return build_bundles(some_records(), sequence=3, generated_at=NOW)


@pytest.fixture(scope="module")
def bundle(bundles):
    return bundles["alerts-all.json"]


def flipped(data: bytes, index: int) -> bytes:
    return data[:index] + bytes([data[index] ^ 0x01]) + data[index + 1 :]


def test_round_trip(key, verify_keys, bundle):
    verified = verify_bundle(bundle, sign_detached(bundle, key, KEY_ID), verify_keys)
    assert verified.key_id == KEY_ID
    assert verified.scope == "all"
    assert verified.sequence == 3
    assert verified.generated_at == "2026-11-23T10:00:00Z"
    assert [alert["number"] for alert in verified.alerts] == ["2026-0001", "2026-0002", "2026-0003"]
    assert verified.sha256 == sha256_hex(bundle)


def test_signature_file_format(key, bundle):
    signature_file = sign_detached(bundle, key, KEY_ID)
    document = json.loads(signature_file)
    assert set(document) == {"key_id", "signature", "signed"}
    assert document["key_id"] == KEY_ID
    assert document["signed"] == sha256_hex(bundle)
    raw = base64.b64decode(document["signature"], validate=True)
    assert len(raw) == 64
    assert key.verify_key.verify(bundle, raw) == bundle  # over the bundle bytes themselves
    assert canonical_bytes(document) == signature_file


def test_same_input_gives_identical_signatures(key, bundles):
    again = build_bundles(list(reversed(some_records())), sequence=3, generated_at=NOW)
    assert again == bundles
    for name, data in bundles.items():
        assert sign_detached(data, key, KEY_ID) == sign_detached(again[name], key, KEY_ID)


def test_every_changed_byte_of_a_bundle_is_refused(key, verify_keys, bundle):
    signature_file = sign_detached(bundle, key, KEY_ID)
    for index in range(len(bundle)):
        with pytest.raises(BundleSignatureError, match="digest mismatch"):
            verify_bundle(flipped(bundle, index), signature_file, verify_keys)


def test_every_changed_byte_of_a_signature_file_is_refused(key, verify_keys, bundle):
    signature_file = sign_detached(bundle, key, KEY_ID)
    messages = set()
    for index in range(len(signature_file)):
        with pytest.raises(BundleSignatureError) as refused:
            verify_bundle(bundle, flipped(signature_file, index), verify_keys)
        message = str(refused.value)
        messages.add(next(kind for kind in FAILURES if f"bundle: {kind}" in message))
    assert messages == set(FAILURES)  # each way of failing is reached, and named


def test_a_padding_bit_of_the_signature_cannot_be_changed(key, verify_keys, bundle):
    document = json.loads(sign_detached(bundle, key, KEY_ID))
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    last = document["signature"][-3]  # 64 bytes: 86 characters and "=="; 2 unused bits
    twin = alphabet[alphabet.index(last) ^ 0x01]
    document["signature"] = document["signature"][:-3] + twin + "=="
    assert base64.b64decode(document["signature"]) == base64.b64decode(
        json.loads(sign_detached(bundle, key, KEY_ID))["signature"]
    )
    with pytest.raises(BundleSignatureError, match="malformed signature"):
        verify_bundle(bundle, canonical_bytes(document), verify_keys)


def test_an_unknown_key_is_refused(bundle):
    stranger = SigningKey.generate()
    signature_file = sign_detached(bundle, stranger, "bundle-stranger")
    with pytest.raises(BundleSignatureError, match="unknown key id 'bundle-stranger'"):
        verify_bundle(bundle, signature_file, {KEY_ID: bytes(SigningKey.generate().verify_key)})


def test_another_key_under_a_known_id_is_a_bad_signature(verify_keys, bundle):
    forger = SigningKey.generate()
    with pytest.raises(BundleSignatureError, match="bad signature"):
        verify_bundle(bundle, sign_detached(bundle, forger, KEY_ID), verify_keys)


def test_a_signature_of_another_bundle_is_a_digest_mismatch(key, verify_keys, bundles):
    other = sign_detached(bundles["alerts-region-merseyside.json"], key, KEY_ID)
    with pytest.raises(BundleSignatureError, match="digest mismatch"):
        verify_bundle(bundles["alerts-all.json"], other, verify_keys)


def test_a_signed_file_that_is_not_a_bundle_is_a_format_error(key, verify_keys, bundles):
    page = bundles["alerts-all.html"]
    assert verify_detached(page, sign_detached(page, key, KEY_ID), verify_keys) == KEY_ID
    with pytest.raises(BundleFormatError, match="not JSON"):
        verify_bundle(page, sign_detached(page, key, KEY_ID), verify_keys)
    other = canonical_bytes({"format": "something/1"})
    with pytest.raises(BundleFormatError, match=r"not a uglymugs\.alerts/1 bundle"):
        verify_bundle(other, sign_detached(other, key, KEY_ID), verify_keys)


def test_verify_bundle_file(tmp_path, key, verify_keys, bundle):
    path = tmp_path / "alerts-all.json"
    path.write_bytes(bundle)
    with pytest.raises(BundleSignatureError, match=r"alerts-all\.json\.sig cannot be read"):
        verify_bundle_file(path, verify_keys)
    (tmp_path / "alerts-all.json.sig").write_bytes(sign_detached(bundle, key, KEY_ID))
    assert verify_bundle_file(path, verify_keys).scope == "all"
    path.write_bytes(flipped(bundle, 100))
    with pytest.raises(BundleSignatureError, match=rf"{path}: digest mismatch"):
        verify_bundle_file(path, verify_keys)
    with pytest.raises(BundleSignatureError, match="cannot be read"):
        verify_bundle_file(tmp_path / "missing.json", verify_keys)


# The manifest.


def manifest_bytes(key, key_id=KEY_ID):
    return sign_manifest(
        sequence=4,
        previous_sequence=3,
        generated_at="2026-11-23T10:00:00Z",
        content_digest="c" * 64,
        versions="seq-000004/versions.json",
        changes="changes/seq-000004.json",
        files={
            "seq-000004/alerts-all.json": FileEntry("a" * 64, 10, "c2ln"),
            "seq-000004/versions.json": FileEntry("b" * 64, 20),
            "changes/seq-000004.json": FileEntry("d" * 64, 30),
        },
        signing_key=key,
        key_id=key_id,
    )


def test_manifest_round_trip(key, verify_keys):
    manifest = verify_manifest(manifest_bytes(key), verify_keys)
    assert (manifest.sequence, manifest.previous_sequence, manifest.prefix) == (4, 3, "seq-000004/")
    assert manifest.files["seq-000004/alerts-all.json"] == FileEntry("a" * 64, 10, "c2ln")
    assert manifest.files["seq-000004/versions.json"].signature is None
    assert manifest_bytes(key) == manifest_bytes(key)


def test_every_changed_byte_of_a_manifest_is_refused(key, verify_keys):
    data = manifest_bytes(key)
    for index in range(len(data)):
        with pytest.raises(ManifestError):
            verify_manifest(flipped(data, index), verify_keys)


def test_a_manifest_by_an_unknown_key_is_refused(verify_keys):
    with pytest.raises(ManifestError, match="unknown key id 'bundle-other'"):
        verify_manifest(manifest_bytes(SigningKey.generate(), "bundle-other"), verify_keys)


def test_a_manifest_signed_by_another_key_is_refused(verify_keys):
    with pytest.raises(ManifestError, match="bad signature"):
        verify_manifest(manifest_bytes(SigningKey.generate()), verify_keys)
