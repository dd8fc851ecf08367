"""The key files: created once, private, public halves readable, private halves sealed."""

import base64
import json
import re

import nacl.secret
import pytest
from nacl.public import PublicKey, SealedBox
from nacl.signing import VerifyKey

from uglymugs.config import Settings
from uglymugs.crypto import (
    TEST_KDF,
    CorruptKeyFileError,
    EmptyPassphraseError,
    KeysExistError,
    KeysMissingError,
    WrongPassphraseError,
    add_case_key,
    create_keys,
    ensure_dev_keys,
    key_id_for,
    load_public_keys,
    rotate_report_key,
    unlock_bundle_key,
    unlock_case_keys,
    unlock_report_keys,
)

PASSPHRASE = "correct horse battery staple"


@pytest.fixture
def keys_dir(tmp_path):
    return tmp_path / "data" / "keys"


@pytest.fixture
def public(keys_dir):
    return create_keys(keys_dir, PASSPHRASE, kdf=TEST_KDF)


def key_file(keys_dir, key_id):
    return keys_dir / f"{key_id}.json"


def test_public_document_is_exactly_the_published_shape(public):
    document = public.as_document()
    assert document == {
        "report": {
            "key_id": public.report_key_id,
            "public_key": base64.b64encode(public.report_public_key).decode(),
        },
        "bundle": {
            "key_id": public.bundle_key_id,
            "verify_key": base64.b64encode(public.bundle_verify_key).decode(),
        },
    }
    assert document["report"]["public_key"].endswith("=")  # standard, padded


def test_key_ids_are_short_stable_and_derived_from_the_public_half(public):
    assert public.report_key_id == key_id_for("report", public.report_public_key)
    assert public.bundle_key_id == key_id_for("bundle", public.bundle_verify_key)
    assert public.report_key_id.startswith("report-") and len(public.report_key_id) == 15
    assert public.bundle_key_id.startswith("bundle-") and len(public.bundle_key_id) == 15
    assert dict(public.report_ring) == {public.report_key_id: public.report_public_key}


def test_load_public_keys_needs_no_passphrase(keys_dir, public):
    assert load_public_keys(keys_dir) == public


def test_files_are_private_and_hold_no_private_key_in_the_clear(keys_dir, public):
    assert keys_dir.stat().st_mode & 0o777 == 0o700
    files = sorted(keys_dir.iterdir())
    ((case_key_id, case_key),) = unlock_case_keys(keys_dir, PASSPHRASE).items()
    assert [path.name for path in files] == sorted(
        [f"{public.report_key_id}.json", f"{public.bundle_key_id}.json", f"{case_key_id}.json"]
    )
    private = bytes(unlock_report_keys(keys_dir, PASSPHRASE)[public.report_key_id])
    seed = bytes(unlock_bundle_key(keys_dir, PASSPHRASE))
    for path in files:
        assert path.stat().st_mode & 0o777 == 0o600
        text = path.read_text()
        for secret in (private, seed, case_key):
            assert base64.b64encode(secret).decode() not in text
            assert secret.hex() not in text
        assert PASSPHRASE not in text


def test_unlocked_report_key_opens_what_was_sealed_to_thePublicKey(keys_dir, public):
    sealed = SealedBox(PublicKey(public.report_public_key)).encrypt(b"report")
    private = unlock_report_keys(keys_dir, PASSPHRASE)[public.report_key_id]
    assert SealedBox(private).decrypt(sealed) == b"report"


def test_unlocked_bundle_key_signs_for_the_published_verify_key(keys_dir, public):
    signed = unlock_bundle_key(keys_dir, PASSPHRASE).sign(b"bundle")
    assert VerifyKey(public.bundle_verify_key).verify(signed) == b"bundle"


def test_wrong_passphrase_names_the_file(keys_dir, public):
    with pytest.raises(WrongPassphraseError, match=r"wrong passphrase for key file .*report-"):
        unlock_report_keys(keys_dir, "not it")
    with pytest.raises(WrongPassphraseError, match="bundle-"):
        unlock_bundle_key(keys_dir, "not it")


def test_existing_keys_are_never_overwritten(keys_dir, public):
    before = {path.name: path.read_bytes() for path in keys_dir.iterdir()}
    with pytest.raises(KeysExistError, match="refusing to overwrite"):
        create_keys(keys_dir, PASSPHRASE, kdf=TEST_KDF)
    assert {path.name: path.read_bytes() for path in keys_dir.iterdir()} == before


def test_missing_keys_say_how_to_create_them(keys_dir):
    for call in (
        lambda: load_public_keys(keys_dir),
        lambda: unlock_report_keys(keys_dir, PASSPHRASE),
        lambda: unlock_bundle_key(keys_dir, PASSPHRASE),
    ):
        with pytest.raises(KeysMissingError, match="uglymugs keys init"):
            call()


def test_an_empty_passphrase_is_refused(keys_dir):
    with pytest.raises(EmptyPassphraseError):
        create_keys(keys_dir, "", kdf=TEST_KDF)
    assert not keys_dir.exists() or not any(keys_dir.iterdir())


@pytest.mark.parametrize(
    "damage",
    [
        lambda document: "not json {",
        lambda document: json.dumps({**document, "schema": "other/1"}),
        lambda document: json.dumps({**document, "public_key": "AAAA"}),
        lambda document: json.dumps({**document, "key_id": "report-aaaaaaaa"}),
        lambda document: json.dumps({**document, "kind": "bundle"}),
        lambda document: json.dumps({**document, "sealed_private_key": "not sealed"}),
        lambda document: json.dumps(
            {**document, "sealed_private_key": {**document["sealed_private_key"], "salt": "x"}}
        ),
    ],
)
def test_a_corrupt_key_file_is_a_clear_error(keys_dir, public, damage):
    path = key_file(keys_dir, public.report_key_id)
    path.write_text(damage(json.loads(path.read_text())))
    with pytest.raises(CorruptKeyFileError, match=re.escape(str(path))):
        load_public_keys(keys_dir)
        unlock_report_keys(keys_dir, PASSPHRASE)


def test_a_private_half_swapped_from_another_file_is_detected(tmp_path, keys_dir, public):
    other = create_keys(tmp_path / "other", PASSPHRASE, kdf=TEST_KDF)
    theirs = json.loads(key_file(tmp_path / "other", other.report_key_id).read_text())
    path = key_file(keys_dir, public.report_key_id)
    ours = json.loads(path.read_text())
    path.write_text(json.dumps({**ours, "sealed_private_key": theirs["sealed_private_key"]}))
    with pytest.raises(CorruptKeyFileError, match="does not match"):
        unlock_report_keys(keys_dir, PASSPHRASE)


def test_rotation_keeps_old_report_keys_and_makes_the_new_one_current(keys_dir, public):
    old_sealed = SealedBox(PublicKey(public.report_public_key)).encrypt(b"old report")
    rotated = rotate_report_key(keys_dir, PASSPHRASE, kdf=TEST_KDF)
    assert rotated.report_key_id != public.report_key_id
    assert set(rotated.report_ring) == {public.report_key_id, rotated.report_key_id}
    assert rotated.bundle_key_id == public.bundle_key_id
    assert load_public_keys(keys_dir).as_document()["report"]["key_id"] == rotated.report_key_id
    private_keys = unlock_report_keys(keys_dir, PASSPHRASE)
    assert SealedBox(private_keys[public.report_key_id]).decrypt(old_sealed) == b"old report"
    new_sealed = SealedBox(PublicKey(rotated.report_public_key)).encrypt(b"new report")
    assert SealedBox(private_keys[rotated.report_key_id]).decrypt(new_sealed) == b"new report"


def test_rotation_needs_the_ring_passphrase(keys_dir, public):
    with pytest.raises(WrongPassphraseError):
        rotate_report_key(keys_dir, "another", kdf=TEST_KDF)
    assert len(load_public_keys(keys_dir).report_ring) == 1


def test_the_case_key_is_made_with_the_others_and_rotated_with_them(keys_dir, public):
    first = unlock_case_keys(keys_dir, PASSPHRASE)
    ((first_id, first_key),) = first.items()
    assert first_id.startswith("case-") and len(first_key) == 32
    sealed = nacl.secret.SecretBox(first_key).encrypt(b"case record")
    with pytest.raises(WrongPassphraseError):
        unlock_case_keys(keys_dir, "not it")
    rotate_report_key(keys_dir, PASSPHRASE, kdf=TEST_KDF)
    rotated = unlock_case_keys(keys_dir, PASSPHRASE)
    assert next(iter(rotated)) == first_id and len(rotated) == 2
    assert nacl.secret.SecretBox(rotated[first_id]).decrypt(sealed) == b"case record"
    assert "case" not in json.dumps(load_public_keys(keys_dir).as_document())


def test_a_ring_without_a_case_key_gets_one_with_its_passphrase(keys_dir, public):
    for path in keys_dir.glob("case-*.json"):
        path.unlink()
    with pytest.raises(KeysMissingError, match="add-case-key"):
        unlock_case_keys(keys_dir, PASSPHRASE)
    with pytest.raises(WrongPassphraseError):
        add_case_key(keys_dir, "not it", kdf=TEST_KDF)
    key_id = add_case_key(keys_dir, PASSPHRASE, kdf=TEST_KDF)
    assert list(unlock_case_keys(keys_dir, PASSPHRASE)) == [key_id]


def test_a_changed_case_key_file_is_refused(keys_dir, public):
    path = next(keys_dir.glob("case-*.json"))
    document = json.loads(path.read_text())
    document["public_key"] = base64.b64encode(bytes(32)).decode()
    path.write_text(json.dumps(document))
    with pytest.raises(CorruptKeyFileError):
        unlock_case_keys(keys_dir, PASSPHRASE)


def test_ensure_dev_keys_creates_once_with_the_dev_passphrase(tmp_path):
    settings = Settings.from_environ({"UGLYMUGS_DATA_DIR": str(tmp_path / "data")})
    assert ensure_dev_keys(settings, kdf=TEST_KDF) is True
    assert ensure_dev_keys(settings, kdf=TEST_KDF) is False
    assert unlock_report_keys(settings.keys_dir, "dev")


def test_ensure_dev_keys_gives_an_older_dev_ring_a_case_key(tmp_path):
    settings = Settings.from_environ({"UGLYMUGS_DATA_DIR": str(tmp_path / "data")})
    ensure_dev_keys(settings, kdf=TEST_KDF)
    for path in settings.keys_dir.glob("case-*.json"):
        path.unlink()
    assert ensure_dev_keys(settings, kdf=TEST_KDF) is False
    assert len(unlock_case_keys(settings.keys_dir, "dev")) == 1


def test_ensure_dev_keys_takes_the_passphrase_from_the_environment(tmp_path):
    environ = {"UGLYMUGS_DATA_DIR": str(tmp_path / "data"), "UGLYMUGS_KEY_PASSPHRASE": "from env"}
    settings = Settings.from_environ(environ)
    assert ensure_dev_keys(settings, kdf=TEST_KDF) is True
    assert unlock_bundle_key(settings.keys_dir, "from env")


def test_keys_exported_for_publishing_sign_bundles_but_never_open_reports(tmp_path):
    from nacl.public import SealedBox

    from uglymugs.crypto.keys import (
        PublicOnlyKeyError,
        export_for_publishing,
        import_for_publishing,
        unlock_bundle_key,
    )

    staff = tmp_path / "staff"
    public = create_keys(staff, "pw", kdf=TEST_KDF)
    export = export_for_publishing(staff)
    staff_private = unlock_report_keys(staff, "pw")[public.report_key_id]
    assert bytes(staff_private).hex() not in export.hex()

    ci = tmp_path / "ci"
    import_for_publishing(export, ci)
    assert load_public_keys(ci).as_document() == public.as_document()
    assert unlock_bundle_key(ci, "pw").verify_key.encode() == public.bundle_verify_key
    with pytest.raises(PublicOnlyKeyError, match="public half"):
        unlock_report_keys(ci, "pw")
    sealed = SealedBox(staff_private.public_key).encrypt(b"report")
    assert SealedBox(staff_private).decrypt(sealed) == b"report"


def test_import_refuses_malformed_exports(tmp_path):
    from uglymugs.crypto.keys import CorruptKeyFileError, import_for_publishing

    for bad in (b"", b"[]", b'{"schema": "other", "keys": []}'):
        with pytest.raises(CorruptKeyFileError):
            import_for_publishing(bad, tmp_path / "ci")
