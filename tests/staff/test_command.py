"""``uglymugs staff``: the console built from the same settings as every command."""

import socket

import pytest

from uglymugs.cli import main
from uglymugs.cli.staff import console_services
from uglymugs.config import Settings


def test_the_console_is_built_from_the_settings_through_the_composition_root(tmp_path):
    settings = Settings.from_environ(
        {
            "UGLYMUGS_DATA_DIR": str(tmp_path),
            "UGLYMUGS_STAFF_NAME": "Sam",
            "UGLYMUGS_STAFF_CHECKOUT": str(tmp_path / "checkout"),
        }
    )
    services = console_services(settings)
    assert services.staff_name == "Sam"
    assert services.checkout == (tmp_path / "checkout").resolve()
    assert type(services.keyholder.vault).__name__ == "LocalReportVault"
    assert type(services.keyholder.case_store).__name__ == "SQLiteCaseStore"
    assert services.keyholder.keys_dir == tmp_path / "keys"
    assert services.keyholder.state is None  # nothing is unlocked before the passphrase


def test_a_port_in_use_is_one_clear_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("UGLYMUGS_DATA_DIR", str(tmp_path))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        assert main(["staff", "--port", str(port), "--no-browser"]) == 1
    assert f"port {port} on 127.0.0.1 is in use" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["staff", "--port", "not-a-port"])
