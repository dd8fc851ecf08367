"""Without a terminal and without ``$UGLYMUGS_KEY_PASSPHRASE`` (cron, CI, a pipe), a
command that needs the passphrase says so in one line, never with an EOFError traceback."""

import os
import subprocess
import sys

from tests.cli.test_reports_cli import Scheme, full_report


def run_without_terminal(data_dir, *argv):
    """The command in a new session (no controlling terminal) with stdin closed."""
    environ = {key: value for key, value in os.environ.items() if not key.startswith("UGLYMUGS_")}
    environ["UGLYMUGS_DATA_DIR"] = str(data_dir)
    return subprocess.run(
        [sys.executable, "-m", "uglymugs", *argv],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=environ,
        start_new_session=True,
        check=False,
        timeout=120,
    )


def test_reading_reports_with_no_terminal_is_one_clear_line(tmp_path):
    scheme = Scheme(tmp_path / "data")
    scheme.store(full_report(), "2026-11-21T08:00:00Z")
    result = run_without_terminal(scheme.data_dir, "reports", "list")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "EOFError" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "UGLYMUGS_KEY_PASSPHRASE" in lines[0]
    assert "terminal" in lines[0]


def test_creating_keys_with_no_terminal_is_one_clear_line(tmp_path):
    result = run_without_terminal(tmp_path / "data", "keys", "init")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "uglymugs: no terminal to ask for the key passphrase: "
        "set UGLYMUGS_KEY_PASSPHRASE, or run this at a terminal"
    ]
    assert not (tmp_path / "data" / "keys").exists() or not any(
        (tmp_path / "data" / "keys").iterdir()
    )
