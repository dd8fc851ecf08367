"""``uglymugs keys export FILE`` and ``keys import FILE``: the keys, backed up on their own."""

import json

import pytest

from uglymugs.cli import main
from uglymugs.crypto import TEST_KDF, create_keys, load_public_keys, rotate_report_key
from uglymugs.crypto.keys import (
    export_keys,
    import_keys,
    unlock_case_keys,
    unlock_report_keys,
)

PASSPHRASE = "a long passphrase for tests"


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    data = tmp_path / "data"
    monkeypatch.setenv("UGLYMUGS_DATA_DIR", str(data))
    monkeypatch.setenv("UGLYMUGS_KEY_PASSPHRASE", PASSPHRASE)
    create_keys(data / "keys", PASSPHRASE, kdf=TEST_KDF)
    rotate_report_key(data / "keys", PASSPHRASE, kdf=TEST_KDF)
    return data


def test_export_then_import_on_a_new_machine_gives_the_same_ring(data_dir, tmp_path, monkeypatch):
    export = tmp_path / "keys.export"
    assert main(["keys", "export", str(export)]) == 0
    assert export.stat().st_mode & 0o777 == 0o600
    document = json.loads(export.read_text())
    assert document["schema"] == "uglymugs.keys-backup/1"
    assert PASSPHRASE not in export.read_text()
    assert all(key["sealed_private_key"]["sealed"] for key in document["keys"])

    monkeypatch.setenv("UGLYMUGS_DATA_DIR", str(tmp_path / "new"))
    assert main(["keys", "import", str(export)]) == 0
    original = load_public_keys(data_dir / "keys")
    assert load_public_keys(tmp_path / "new" / "keys") == original
    assert unlock_report_keys(tmp_path / "new" / "keys", PASSPHRASE).keys() == set(
        original.report_ring
    )
    case_keys = unlock_case_keys(data_dir / "keys", PASSPHRASE)  # case records open again
    assert len(case_keys) == 2
    assert unlock_case_keys(tmp_path / "new" / "keys", PASSPHRASE) == case_keys
    assert main(["keys", "import", str(export)]) == 0  # again: nothing new, nothing broken


def test_export_refuses_a_wrong_passphrase_and_an_existing_file(
    data_dir, tmp_path, monkeypatch, capsys
):
    export = tmp_path / "keys.export"
    export.write_text("older")
    assert main(["keys", "export", str(export)]) == 1
    assert "already exists" in capsys.readouterr().err
    monkeypatch.setenv("UGLYMUGS_KEY_PASSPHRASE", "wrong")
    assert main(["keys", "export", str(tmp_path / "other")]) == 1
    assert capsys.readouterr().err.startswith("uglymugs: wrong passphrase")
    assert export.read_text() == "older"


def test_import_refuses_a_wrong_passphrase_and_foreign_keys_writing_nothing(data_dir, tmp_path):
    export = export_keys(data_dir / "keys", PASSPHRASE)
    with pytest.raises(Exception, match="wrong passphrase"):
        import_keys(export, tmp_path / "a" / "keys", "wrong")
    assert not (tmp_path / "a" / "keys").exists() or not any((tmp_path / "a" / "keys").iterdir())
    create_keys(tmp_path / "b" / "keys", PASSPHRASE, kdf=TEST_KDF)  # e.g. fresh dev keys
    before = sorted(p.name for p in (tmp_path / "b" / "keys").iterdir())
    with pytest.raises(Exception, match="holds keys that are not in this export"):
        import_keys(export, tmp_path / "b" / "keys", PASSPHRASE)
    assert sorted(p.name for p in (tmp_path / "b" / "keys").iterdir()) == before


def test_an_export_for_publishing_is_not_a_key_backup(data_dir, tmp_path, capsys):
    main(["keys", "export-for-publishing"])
    published = tmp_path / "published.json"
    published.write_text(capsys.readouterr().out)
    assert main(["keys", "import", str(published)]) == 1
    assert "not a uglymugs.keys-backup/1 document" in capsys.readouterr().err
