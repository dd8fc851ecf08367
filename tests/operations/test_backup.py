"""Backups of a running scheme: consistent, sealed, verifiable, and restorable once."""

from __future__ import annotations

import io
import json
import secrets
import tarfile
import threading
import time
from base64 import b64encode
from datetime import timedelta
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from tests.operations.conftest import PASSPHRASE
from uglymugs.cli import main
from uglymugs.crypto.keys import load_public_keys
from uglymugs.members.directory.sqlite import SQLiteSessionStore
from uglymugs.operations.backup import BackupError, create_backup
from uglymugs.operations.reconcile import check_ledger, read_vault
from uglymugs.operations.restore import RestoreRefusedError, restore_backup, verify_backup
from uglymugs.operations.sealed_stream import DamagedBackupError, SealedWriter
from uglymugs.reports.api import create_report_app
from uglymugs.reports.claims.sqlite import SQLiteIdempotencyLedger
from uglymugs.reports.intake import ReportIntake
from uglymugs.reports.keyring import ReportKeyRing
from uglymugs.reports.vault.files import LocalReportVault

CANARY = "canary-7f3a9c@example.org"


def files_of(directory: Path) -> dict[str, bytes]:
    return {
        path.relative_to(directory).as_posix(): path.read_bytes()
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }


def furnish(scheme) -> list[str]:
    """Reports, a members table, a shelf and an outbox, each holding the canary."""
    numbers = [scheme.submit() for _ in range(5)]
    SQLiteSessionStore(scheme.settings.state_db)  # the members and sessions tables
    data = scheme.settings.data_dir
    (data / "shelf" / "seq-000001").mkdir(parents=True)
    (data / "shelf" / "seq-000001" / "alerts-all.json").write_text(f'{{"by": "{CANARY}"}}')
    (data / "shelf" / "manifest.json").write_text('{"sequence": 1}')
    (data / "outbox").mkdir()
    (data / "outbox" / "20261123T100000Z-1-ab.eml").write_text(f"To: {CANARY}\n\nHello")
    return numbers


def test_a_backup_restores_the_data_directory_exactly_and_holds_nothing_readable(
    keyed_scheme, empty_data_dir_with_keys, tmp_path
):
    numbers = furnish(keyed_scheme)
    archive = tmp_path / "scheme.backup"
    summary = create_backup(keyed_scheme.settings, archive)

    assert summary.manifest.counts == {
        "databases": 1,
        "reports": 5,
        "live_claims": 5,
        "shelf": 2,
        "outbox": 1,
    }
    sealed = archive.read_bytes()
    assert CANARY.encode() not in sealed
    assert b"SQLite format 3" not in sealed and b"UM-" not in sealed
    assert archive.stat().st_mode & 0o777 == 0o600
    assert "keys/" in "\n".join(summary.lines())  # said to be left out

    verified = verify_backup(archive, keyed_scheme.settings, PASSPHRASE)
    assert len(verified.manifest["files"]) == 9

    target = empty_data_dir_with_keys
    restored = restore_backup(archive, target, PASSPHRASE)
    assert restored.moved_aside is None
    original, copy = keyed_scheme.settings.data_dir, target.data_dir
    for name in ("vault", "shelf", "outbox"):
        assert files_of(copy / name) == files_of(original / name)
    assert sorted(LocalReportVault(target.vault_dir).numbers()) == sorted(numbers)
    assert restored.ledger.claims == 5 and not restored.ledger.needs_human
    assert list(copy.glob(".tmp-*")) == []
    assert (copy / "state.sqlite3").stat().st_mode & 0o777 == 0o600
    assert all(p.stat().st_mode & 0o777 == 0o600 for p in (copy / "vault").iterdir())
    assert (copy / "vault").stat().st_mode & 0o777 == 0o700


def test_a_backup_taken_during_concurrent_submissions_restores_each_acknowledged_report_once(
    keyed_scheme, empty_data_dir_with_keys, tmp_path
):
    public = load_public_keys(keyed_scheme.settings.keys_dir)
    ring = ReportKeyRing(public.report_key_id, dict(public.report_ring))
    app = create_report_app(ReportIntake(keyed_scheme.vault, keyed_scheme.ledger), ring)
    acknowledged: list[tuple[dict, str, float]] = []
    stop = threading.Event()

    def reporter() -> None:
        client = TestClient(app)
        while not stop.is_set():
            body = {
                "key_id": public.report_key_id,
                "ciphertext": b64encode(secrets.token_bytes(96)).decode(),
                "idempotency_key": secrets.token_urlsafe(24),
            }
            response = client.post("/api/reports", json=body)
            if response.status_code == 201:
                acknowledged.append((body, response.json()["report_number"], time.monotonic()))

    threads = [threading.Thread(target=reporter) for _ in range(4)]
    for thread in threads:
        thread.start()
    try:
        while len(acknowledged) < 40:
            time.sleep(0.01)
        started = time.monotonic()
        archive = tmp_path / "during.backup"
        create_backup(keyed_scheme.settings, archive)
        count_at_end = len(acknowledged)
        while len(acknowledged) < count_at_end + 20:  # submissions go on after it
            time.sleep(0.01)
    finally:
        stop.set()
        for thread in threads:
            thread.join()

    target = empty_data_dir_with_keys
    restored = restore_backup(archive, target, PASSPHRASE)
    before = [(body, number) for body, number, at in acknowledged if at < started]
    vault = read_vault(target.vault_dir)
    assert {number for _, number in before} <= vault.received.keys()
    stored = [LocalReportVault(target.vault_dir).get(n).ciphertext for n in vault.received]
    assert len(stored) == len(set(stored))  # no report twice
    assert restored.ledger.claims_without_report == ()
    assert not restored.ledger.needs_human

    # The restored scheme answers every retry with the same number, storing nothing new.
    retry_app = create_report_app(
        ReportIntake(LocalReportVault(target.vault_dir), SQLiteIdempotencyLedger(target.state_db)),
        ring,
    )
    client = TestClient(retry_app)
    for body, number in before:
        assert client.post("/api/reports", json=body).json()["report_number"] == number
    assert len(list(LocalReportVault(target.vault_dir).numbers())) == len(vault.received)
    assert check_ledger(target).claims_without_report == ()


def test_a_claim_whose_report_never_arrives_is_left_out_of_the_copy(
    keyed_scheme, empty_data_dir_with_keys, tmp_path
):
    keyed_scheme.submit()
    lost = keyed_scheme.plant_claim_without_report()
    archive = tmp_path / "scheme.backup"
    summary = create_backup(keyed_scheme.settings, archive, write_wait=timedelta(0))
    assert summary.manifest.claims_dropped == [lost]
    assert lost in "\n".join(summary.lines())
    restored = restore_backup(archive, empty_data_dir_with_keys, PASSPHRASE)
    assert (restored.ledger.claims, restored.ledger.claims_without_report) == (1, ())
    assert check_ledger(keyed_scheme.settings).claims_without_report == (lost,)  # untouched


def test_a_backup_never_replaces_a_file(keyed_scheme, tmp_path):
    archive = tmp_path / "scheme.backup"
    archive.write_bytes(b"an older backup")
    with pytest.raises(BackupError):
        create_backup(keyed_scheme.settings, archive)
    assert archive.read_bytes() == b"an older backup"
    with pytest.raises(BackupError, match="outside the data directory"):
        create_backup(keyed_scheme.settings, keyed_scheme.settings.data_dir / "x.backup")


@pytest.fixture
def cli_env(keyed_scheme, monkeypatch):
    monkeypatch.setenv("UGLYMUGS_DATA_DIR", str(keyed_scheme.settings.data_dir))
    monkeypatch.setenv("UGLYMUGS_KEY_PASSPHRASE", PASSPHRASE)
    furnish(keyed_scheme)
    return keyed_scheme


def test_restore_refuses_a_wrong_passphrase_with_one_clear_line(
    cli_env, empty_data_dir_with_keys, tmp_path, monkeypatch, capsys
):
    archive = tmp_path / "scheme.backup"
    assert main(["backup", str(archive)]) == 0
    capsys.readouterr()
    monkeypatch.setenv("UGLYMUGS_DATA_DIR", str(empty_data_dir_with_keys.data_dir))
    monkeypatch.setenv("UGLYMUGS_KEY_PASSPHRASE", "not the passphrase")
    assert main(["restore", str(archive)]) == 1
    out, err = capsys.readouterr()
    assert err == "uglymugs: wrong passphrase: it does not open the report keys\n"
    assert out == ""
    assert not empty_data_dir_with_keys.vault_dir.exists()


def test_verify_detects_a_tampered_archive(cli_env, tmp_path, capsys):
    archive = tmp_path / "scheme.backup"
    assert main(["backup", str(archive)]) == 0
    assert main(["backup", "verify", str(archive)]) == 0
    assert "is intact: 9 files match" in capsys.readouterr().out

    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0x01
    tampered = tmp_path / "tampered.backup"
    tampered.write_bytes(bytes(data))
    assert main(["backup", "verify", str(tampered)]) == 1
    err = capsys.readouterr().err
    assert "was changed or damaged after byte" in err and err.count("\n") == 1

    cut = tmp_path / "cut.backup"
    cut.write_bytes(archive.read_bytes()[:-100])
    assert main(["backup", "verify", str(cut)]) == 1
    assert "cut short" in capsys.readouterr().err


def test_verify_refuses_an_archive_whose_files_differ_from_its_manifest(keyed_scheme, tmp_path):
    """Anyone with the public key can seal an archive: the digests are checked all the same."""
    public = load_public_keys(keyed_scheme.settings.keys_dir)
    manifest = {
        "schema": "uglymugs.backup-manifest/1",
        "created_at": "2026-11-23T10:00:00+00:00",
        "key_id": public.report_key_id,
        "counts": {"reports": 1},
        "claims_dropped": [],
        "files": {"vault/UM-AAAA-AAAA-AAAA.json": {"size": 3, "sha256": "0" * 64}},
    }
    archive = tmp_path / "forged.backup"
    entries = [
        ("vault/UM-AAAA-AAAA-AAAA.json", b"abc"),
        ("MANIFEST.json", json.dumps(manifest).encode()),
    ]
    with (
        archive.open("wb") as out,
        SealedWriter(out, public.report_key_id, public.report_public_key) as sealed,
        tarfile.open(fileobj=sealed, mode="w|") as tar,
    ):
        for name, data in entries:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    with pytest.raises(DamagedBackupError, match="1 files do not match the manifest"):
        verify_backup(archive, keyed_scheme.settings, PASSPHRASE)


def test_restore_refuses_a_data_directory_with_state_unless_forced(cli_env, tmp_path, capsys):
    archive = tmp_path / "scheme.backup"
    assert main(["backup", str(archive)]) == 0
    before = files_of(cli_env.settings.vault_dir)
    capsys.readouterr()
    assert main(["restore", str(archive)]) == 1
    err = capsys.readouterr().err
    assert "already holds state.sqlite3, vault/, shelf/, outbox/" in err
    assert err.count("\n") == 1
    with pytest.raises(RestoreRefusedError):
        restore_backup(archive, cli_env.settings, PASSPHRASE)

    cli_env.submit()  # made after the backup: moved aside, not lost
    assert main(["restore", "--force", str(archive)]) == 0
    out = capsys.readouterr().out
    assert "was restored" in out and "before-restore-" in out and "They agree." in out
    assert files_of(cli_env.settings.vault_dir) == before
    (aside,) = cli_env.settings.data_dir.glob("before-restore-*")
    assert len(list((aside / "vault").iterdir())) == len(before) + 1


def test_a_damaged_backup_restores_nothing_and_leaves_nothing_behind(
    keyed_scheme, empty_data_dir_with_keys, tmp_path
):
    furnish(keyed_scheme)
    archive = tmp_path / "scheme.backup"
    create_backup(keyed_scheme.settings, archive)
    data = bytearray(archive.read_bytes())
    data[-200] ^= 0x01  # in the last chunk: every file before it extracts first
    archive.write_bytes(bytes(data))
    target = empty_data_dir_with_keys
    before = files_of(target.data_dir)
    with pytest.raises(DamagedBackupError):
        restore_backup(archive, target, PASSPHRASE)
    assert files_of(target.data_dir) == before
    assert sorted(path.name for path in target.data_dir.iterdir()) == ["keys"]
