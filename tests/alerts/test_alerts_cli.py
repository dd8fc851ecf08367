"""``uglymugs alerts check`` and ``verify`` as staff run them."""

import base64
import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from nacl.signing import SigningKey

from tests.alerts.alert_files import write_alert
from uglymugs.alerts.bundles import build_bundles
from uglymugs.alerts.check import check_alerts
from uglymugs.alerts.publish import records_from_check
from uglymugs.alerts.signing import sign_detached
from uglymugs.cli import COMMANDS, main
from uglymugs.crypto import TEST_KDF, create_keys, unlock_bundle_key

EXAMPLES = Path(__file__).resolve().parents[2] / "site" / "alerts"
PASSPHRASE = "staff passphrase"


def run(capsys, *argv):
    code = main([str(arg) for arg in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_the_alerts_and_publish_commands_are_registered():
    assert {"alerts", "publish", "notify"} <= set(COMMANDS)


def test_check_passes_the_shipped_examples(capsys):
    code, out, _ = run(capsys, "alerts", "check", EXAMPLES)
    assert code == 0
    lines = out.splitlines()
    assert lines[-1].startswith(f"Checked {len(list(EXAMPLES.glob('*.md')))} alert files: 0 errors")
    assert all("accepted" in line for line in lines[:-1])


def test_check_prints_path_line_message_and_fails_on_an_error(tmp_path, capsys):
    path = write_alert(tmp_path, {"region": "mars"})
    code, out, _ = run(capsys, "alerts", "check", tmp_path)
    assert code == 1
    line = next(line for line in out.splitlines() if "region" in line)
    assert line.startswith(f"{path}:")
    assert line.split(":", 2)[2].startswith(" region: 'mars' is not a police force area id")
    assert "1 error," in out.splitlines()[-1]


def test_an_unaccepted_warning_fails_the_check(tmp_path, capsys):
    path = write_alert(tmp_path, body="She is called Anna.")
    code, out, _ = run(capsys, "alerts", "check", path)
    assert code == 1
    assert f"{path}:" in out and ": warning: " in out and "(name-in-text)" in out


def test_check_refuses_a_path_that_is_not_there(tmp_path, capsys):
    code, _, err = run(capsys, "alerts", "check", tmp_path / "missing")
    assert code == 1 and "no such file or directory" in err


@pytest.fixture
def signed_bundle(tmp_path, monkeypatch):
    """The examples as a signed all-alerts bundle, with the scheme's keys in a data dir."""
    data_dir = tmp_path / "data"
    monkeypatch.setenv("UGLYMUGS_DATA_DIR", str(data_dir))
    public = create_keys(data_dir / "keys", PASSPHRASE, kdf=TEST_KDF)
    signing_key = unlock_bundle_key(data_dir / "keys", PASSPHRASE)
    records = records_from_check(check_alerts(EXAMPLES, today=date.today()))
    bundles = build_bundles(records, sequence=7, generated_at=datetime(2026, 11, 23, tzinfo=UTC))
    path = tmp_path / "alerts-all.json"
    path.write_bytes(bundles["alerts-all.json"])
    sig = path.with_name(path.name + ".sig")
    sig.write_bytes(sign_detached(path.read_bytes(), signing_key, public.bundle_key_id))
    (tmp_path / "keys.json").write_text(json.dumps(public.as_document()))
    count = len(json.loads(path.read_bytes())["alerts"])
    return path, public, count


def test_verify_with_this_machines_keys(signed_bundle, capsys):
    path, public, count = signed_bundle
    code, out, err = run(capsys, "alerts", "verify", path)
    assert code == 0, err
    assert out.strip() == f"valid: {count} alerts, sequence 7, signed by {public.bundle_key_id}"


def test_verify_with_a_published_keys_json(signed_bundle, capsys, tmp_path, monkeypatch):
    path, _, _ = signed_bundle
    monkeypatch.setenv("UGLYMUGS_DATA_DIR", str(tmp_path / "no-keys-here"))
    code, out, err = run(capsys, "alerts", "verify", path, "--keys", tmp_path / "keys.json")
    assert code == 0, err
    assert out.startswith("valid: ")


def test_a_tampered_bundle_fails(signed_bundle, capsys):
    path, _, _ = signed_bundle
    original = path.read_bytes()
    path.write_bytes(original.replace(b"Manchester", b"Manchestor"))
    assert path.read_bytes() != original
    code, out, err = run(capsys, "alerts", "verify", path)
    assert code == 1
    assert out == "" and err.startswith("uglymugs: ")


def test_another_key_fails(signed_bundle, capsys, tmp_path):
    path, public, _ = signed_bundle
    other = {
        "bundle": {
            "key_id": public.bundle_key_id,
            "verify_key": base64.b64encode(bytes(SigningKey.generate().verify_key)).decode(),
        }
    }
    keys = tmp_path / "other-keys.json"
    keys.write_text(json.dumps(other))
    code, _, err = run(capsys, "alerts", "verify", path, "--keys", keys)
    assert code == 1 and err.startswith("uglymugs: ")


@pytest.mark.parametrize(
    "document",
    [
        "not json",
        "[]",
        '{"bundle": {"key_id": "k"}}',
        '{"bundle": {"key_id": "k", "verify_key": "AAAA"}}',
    ],
)
def test_a_malformed_keys_json_is_a_clear_error(signed_bundle, capsys, tmp_path, document):
    path, _, _ = signed_bundle
    keys = tmp_path / "bad-keys.json"
    keys.write_text(document)
    code, _, err = run(capsys, "alerts", "verify", path, "--keys", keys)
    assert code == 1
    assert str(keys) in err


def test_verify_without_keys_says_how_to_give_them(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("UGLYMUGS_DATA_DIR", str(tmp_path / "empty"))
    code, _, err = run(capsys, "alerts", "verify", tmp_path / "alerts-all.json")
    assert code == 1 and "--keys" in err


def write_manifest(tmp_path, public, sequence, generated_at, name="manifest.json"):
    """A manifest.json as `uglymugs publish` signs it, for `verify --previous`."""
    from uglymugs.alerts.manifest import FileEntry, sign_manifest

    prefix = f"seq-{sequence:06d}/"
    entry = FileEntry(sha256="0" * 64, size=2)
    data = sign_manifest(
        sequence=sequence,
        previous_sequence=sequence - 1,
        generated_at=generated_at,
        content_digest="1" * 64,
        versions=prefix + "versions.json",
        changes=f"changes/seq-{sequence:06d}.json",
        files={prefix + "versions.json": entry, f"changes/seq-{sequence:06d}.json": entry},
        signing_key=unlock_bundle_key(tmp_path / "data" / "keys", PASSPHRASE),
        key_id=public.bundle_key_id,
    )
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("sequence", "generated_at"),
    [(6, "2026-11-22T09:00:00Z"), (7, "2026-11-23T00:00:00Z")],
)
def test_verify_passes_a_bundle_not_older_than_the_previous_manifest(
    signed_bundle, capsys, tmp_path, sequence, generated_at
):
    path, public, count = signed_bundle  # sequence 7, generated 2026-11-23T00:00:00Z
    previous = write_manifest(tmp_path, public, sequence, generated_at)
    code, out, err = run(capsys, "alerts", "verify", path, "--previous", previous)
    assert code == 0, err
    assert out.strip() == f"valid: {count} alerts, sequence 7, signed by {public.bundle_key_id}"


@pytest.mark.parametrize(
    ("sequence", "generated_at"),
    [(8, "2026-11-24T09:00:00Z"), (7, "2026-11-23T00:00:01Z"), (6, "2026-11-24T09:00:00Z")],
)
def test_verify_refuses_a_bundle_older_than_the_previous_manifest(
    signed_bundle, capsys, tmp_path, sequence, generated_at
):
    path, public, _ = signed_bundle
    previous = write_manifest(tmp_path, public, sequence, generated_at)
    code, out, err = run(capsys, "alerts", "verify", path, "--previous", previous)
    assert code == 1 and out == ""
    assert err.startswith("uglymugs: ") and "rollback" in err
    assert f"sequence {sequence} ({generated_at})" in err and str(previous) in err


def test_verify_refuses_a_previous_manifest_that_does_not_verify(signed_bundle, capsys, tmp_path):
    path, public, _ = signed_bundle
    previous = write_manifest(tmp_path, public, 6, "2026-11-22T09:00:00Z")
    previous.write_bytes(previous.read_bytes().replace(b'"sequence":6', b'"sequence":5'))
    code, out, err = run(capsys, "alerts", "verify", path, "--previous", previous)
    assert code == 1 and out == ""
    assert str(previous) in err
    code, _, err = run(capsys, "alerts", "verify", path, "--previous", tmp_path / "missing.json")
    assert code == 1 and "cannot be read" in err
