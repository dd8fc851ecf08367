"""``uglymugs doctor`` finds what crashes leave, removes what is safe, and says so."""

from __future__ import annotations

import sqlite3

from tests.operations.conftest import plant_temporary
from uglymugs.cli import main
from uglymugs.operations.doctor import run_doctor


def test_doctor_removes_planted_temporary_files_and_reports_a_claim_without_a_report(scheme):
    stored = [scheme.submit() for _ in range(3)]
    lost = scheme.plant_claim_without_report()
    data = scheme.settings.data_dir
    planted = [
        plant_temporary(data / "vault", "UM-AAAA-AAAA-AAAA.json"),
        plant_temporary(data / "vault", "UM-BBBB-BBBB-BBBB.json"),
        plant_temporary(data / "outbox", "message.eml"),
        plant_temporary(data / "shelf" / "seq-000001", "alerts-all.json"),
    ]
    running = plant_temporary(data / "vault", "UM-CCCC-CCCC-CCCC.json", age_seconds=0)

    report = run_doctor(scheme.settings)

    assert not any(path.exists() for path in planted)
    assert running.exists()  # a write may still be using it
    assert report.leftovers.removed == {"vault": 2, "outbox": 1, "shelf/seq-000001": 1}
    assert report.leftovers.young == 1
    assert report.ledger.claims_without_report == (lost,)
    assert report.ledger.reports == 3 and report.ledger.claims == 4
    assert report.needs_human
    text = "\n".join(report.lines())
    assert lost in text and "removed 1 in outbox/, 1 in shelf/seq-000001/, 2 in vault/" in text
    assert not any(number in text for number in stored)  # only findings are listed
    assert sorted(scheme.vault.numbers()) == sorted(stored)  # reports untouched


def test_a_healthy_data_directory_is_all_ok_and_exits_0(scheme, monkeypatch, capsys):
    scheme.submit()
    monkeypatch.setenv("UGLYMUGS_DATA_DIR", str(scheme.settings.data_dir))
    assert main(["doctor"]) == 0
    out = capsys.readouterr().out
    assert "state.sqlite3 ok" in out
    assert "1 reports, 1 live claims. They agree." in out
    assert "Temporary files: none left over." in out


def test_a_damaged_index_and_an_unreadable_vault_file_need_a_human(scheme, monkeypatch, capsys):
    number = scheme.submit()
    (scheme.settings.vault_dir / f"{number}.json").write_bytes(b"not a record")
    other = scheme.settings.data_dir / "cases.sqlite3"
    with sqlite3.connect(other) as connection:
        connection.executescript(
            "CREATE TABLE t (a, b); CREATE INDEX i ON t (a); INSERT INTO t VALUES (1, 'x');"
        )
        connection.execute("PRAGMA writable_schema = ON")
        connection.execute(
            "UPDATE sqlite_master SET sql = 'CREATE INDEX i ON t (b)' WHERE name = 'i'"
        )
    monkeypatch.setenv("UGLYMUGS_DATA_DIR", str(scheme.settings.data_dir))
    assert main(["doctor"]) == 1
    out = capsys.readouterr().out
    assert "Database cases.sqlite3 is damaged (1 problems: row 1 missing from index i)" in out
    assert f"Unreadable vault files: 1 ({number}.json)" in out
    assert "needs a person" in out


def test_an_empty_data_directory_is_fine(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("UGLYMUGS_DATA_DIR", str(tmp_path / "nothing"))
    assert main(["doctor"]) == 0
    assert "Databases: none yet." in capsys.readouterr().out


def test_a_database_left_mid_transaction_by_a_killed_process_is_rolled_back_not_damaged(scheme):
    """A read-only check would fail on the hot journal a kill leaves; the doctor rolls it back."""
    import subprocess
    import sys

    numbers = [scheme.submit() for _ in range(3)]
    killed_writer = """
import os, sqlite3, sys
connection = sqlite3.connect(sys.argv[1], isolation_level=None)
connection.execute("PRAGMA cache_size = 1")
connection.execute("BEGIN IMMEDIATE")
connection.execute("UPDATE idempotency_claims SET report_number = 'gone'")
os._exit(9)
"""
    subprocess.run(
        [sys.executable, "-c", killed_writer, str(scheme.settings.state_db)], check=False
    )
    # The claims ledger keeps a write-ahead log: the kill leaves an uncommitted tail
    # there (a rollback journal would be hot instead).
    left = ("state.sqlite3-journal", "state.sqlite3-wal")
    assert any(scheme.settings.state_db.with_name(name).exists() for name in left)

    report = run_doctor(scheme.settings)
    assert report.databases[0].problems == ()
    assert report.ledger.claims == 3 and not report.needs_human
    assert sorted(scheme.vault.numbers()) == sorted(numbers)
