"""``uglymugs keys init|show|rotate`` as staff run them."""

import base64
import json

import pytest

from uglymugs.cli import main
from uglymugs.config import DEV_PASSPHRASE, Settings
from uglymugs.crypto import (
    TEST_KDF,
    create_keys,
    ensure_dev_keys,
    load_public_keys,
    unlock_report_keys,
)

PASSPHRASE = "a long passphrase for tests"


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    data = tmp_path / "data"
    monkeypatch.setenv("UGLYMUGS_DATA_DIR", str(data))
    monkeypatch.setenv("UGLYMUGS_KEY_PASSPHRASE", PASSPHRASE)
    return data


def test_init_creates_keys_with_the_default_kdf_and_never_prints_the_passphrase(data_dir, capsys):
    assert main(["keys", "init"]) == 0
    out = capsys.readouterr()
    public = load_public_keys(data_dir / "keys")
    assert public.report_key_id in out.out and public.bundle_key_id in out.out
    assert PASSPHRASE not in out.out + out.err
    key_file = json.loads((data_dir / "keys" / f"{public.report_key_id}.json").read_text())
    assert key_file["sealed_private_key"]["memlimit"] == 256 * 1024 * 1024
    assert unlock_report_keys(data_dir / "keys", PASSPHRASE)


def test_init_refuses_to_overwrite(data_dir, capsys):
    create_keys(data_dir / "keys", PASSPHRASE, kdf=TEST_KDF)
    assert main(["keys", "init"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("uglymugs: keys already exist") and err.count("\n") == 1


def test_init_prompts_twice_without_the_variable(data_dir, monkeypatch, capsys):
    monkeypatch.delenv("UGLYMUGS_KEY_PASSPHRASE")
    answers = iter(["typed once", "typed differently"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert main(["keys", "init"]) == 1
    assert "passphrases differ" in capsys.readouterr().err
    assert not (data_dir / "keys").exists() or not any((data_dir / "keys").iterdir())


def test_show_prints_the_public_document(data_dir, capsys):
    public = create_keys(data_dir / "keys", PASSPHRASE, kdf=TEST_KDF)
    assert main(["keys", "show"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document == public.as_document()
    base64.b64decode(document["report"]["public_key"], validate=True)


def test_show_without_keys_says_to_run_init(data_dir, capsys):
    assert main(["keys", "show"]) == 1
    assert "uglymugs keys init" in capsys.readouterr().err


def test_rotate_adds_a_current_report_key(data_dir, capsys):
    before = create_keys(data_dir / "keys", PASSPHRASE, kdf=TEST_KDF)
    assert main(["keys", "rotate"]) == 0
    after = load_public_keys(data_dir / "keys")
    assert after.report_key_id != before.report_key_id
    assert before.report_key_id in after.report_ring
    assert after.report_key_id in capsys.readouterr().out


def test_rotate_with_a_wrong_passphrase_is_one_line(data_dir, monkeypatch, capsys):
    create_keys(data_dir / "keys", PASSPHRASE, kdf=TEST_KDF)
    monkeypatch.setenv("UGLYMUGS_KEY_PASSPHRASE", "not it, though long and strong")
    assert main(["keys", "rotate"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("uglymugs: wrong passphrase for key file") and err.count("\n") == 1


def test_export_then_import_for_publishing(data_dir, tmp_path, monkeypatch, capsysbinary):
    public = create_keys(data_dir / "keys", PASSPHRASE, kdf=TEST_KDF)
    assert main(["keys", "export-for-publishing"]) == 0
    export = tmp_path / "export.json"
    export.write_bytes(capsysbinary.readouterr().out)
    monkeypatch.setenv("UGLYMUGS_DATA_DIR", str(tmp_path / "ci"))
    assert main(["keys", "import-for-publishing", str(export)]) == 0
    assert load_public_keys(tmp_path / "ci" / "keys").as_document() == public.as_document()
    assert main(["keys", "import-for-publishing", str(export)]) == 1  # never overwrites


WEAK = ["x", DEV_PASSPHRASE, "password1234", "qwertyuiopasdf", "aaaaaaaaaaaaaaaa", "uglymugs2026!"]


@pytest.mark.parametrize("weak", WEAK)
def test_init_refuses_a_weak_passphrase_in_one_line_saying_what_to_do(
    data_dir, monkeypatch, capsys, weak
):
    monkeypatch.setenv("UGLYMUGS_KEY_PASSPHRASE", weak)
    assert main(["keys", "init"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("uglymugs: the passphrase is too weak") and err.count("\n") == 1
    assert "four or more random words" in err and weak not in err.removeprefix("uglymugs: ")
    assert not (data_dir / "keys").exists() or not any((data_dir / "keys").iterdir())


def test_init_refuses_a_weak_typed_passphrase(data_dir, monkeypatch, capsys):
    monkeypatch.delenv("UGLYMUGS_KEY_PASSPHRASE")
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "letmein")
    assert main(["keys", "init"]) == 1
    assert "too weak (shorter than 12 characters)" in capsys.readouterr().err


def test_rotate_refuses_a_weak_passphrase_and_adds_no_key(data_dir, monkeypatch, capsys):
    weak = "password1234"
    create_keys(data_dir / "keys", weak, kdf=TEST_KDF)  # made before the rule, say
    monkeypatch.setenv("UGLYMUGS_KEY_PASSPHRASE", weak)
    assert main(["keys", "rotate"]) == 1
    assert "the passphrase is too weak" in capsys.readouterr().err
    assert len(load_public_keys(data_dir / "keys").report_ring) == 1


def test_dev_keys_keep_the_documented_dev_passphrase(tmp_path):
    settings = Settings.from_environ({"UGLYMUGS_DATA_DIR": str(tmp_path / "data")})
    assert ensure_dev_keys(settings, kdf=TEST_KDF) is True
    assert unlock_report_keys(settings.keys_dir, DEV_PASSPHRASE)
