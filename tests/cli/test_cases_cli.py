"""``uglymugs cases`` and ``uglymugs audit`` over a local data directory: casework on
an incident named by any of its numbers, conflicts refused, every step audited, and
``audit verify`` catching a changed entry."""

import json
import sqlite3

import pytest

from tests.cli.test_reports_cli import PASSPHRASE, Scheme, follow_up, full_report
from uglymugs.cases.records import CaseConflictError, Casework
from uglymugs.cli import main
from uglymugs.composition import case_store
from uglymugs.config import Settings
from uglymugs.crypto import unlock_case_keys

SECRET_NOTE = "canary-note-77ab she moved to her sister's"


@pytest.fixture
def scheme(tmp_path, monkeypatch):
    monkeypatch.setenv("UGLYMUGS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("UGLYMUGS_KEY_PASSPHRASE", PASSPHRASE)
    monkeypatch.setenv("UGLYMUGS_STAFF_NAME", "Sam")
    monkeypatch.setenv("COLUMNS", "200")
    monkeypatch.delenv("UGLYMUGS_CASES_TABLE", raising=False)
    return Scheme(tmp_path / "data")


@pytest.fixture
def linked(scheme):
    original = scheme.store(full_report(), "2026-11-21T08:00:00Z")
    later = scheme.store(follow_up(original), "2026-11-22T08:00:00Z")
    return original, later


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_casework_from_the_terminal_on_either_number(scheme, linked, capsys):
    original, later = linked
    assert run(capsys, "cases", "assign", later, "Alex")[0] == 0
    assert run(capsys, "cases", "status", original, "in_progress")[0] == 0
    assert run(capsys, "cases", "note", later, SECRET_NOTE)[0] == 0
    code, out, err = run(capsys, "cases", "contact", original, "referred_support", "ISVA")
    assert code == 0, err
    assert f"Case {original}: in_progress, assigned to Alex; version 4." in out
    code, out, _ = run(capsys, "cases", "show", later, "--json")
    case = json.loads(out)
    assert (case["number"], case["status"], case["assignee"], case["version"]) == (
        original,
        "in_progress",
        "Alex",
        4,
    )
    assert case["notes"][0]["text"] == SECRET_NOTE and case["notes"][0]["by"] == "Sam"
    assert case["contacts"][0]["kind"] == "referred_support"
    code, out, _ = run(capsys, "cases", "show", original)
    assert SECRET_NOTE in out and "referred_support" in out
    code, out, _ = run(capsys, "cases", "list", "--json")
    assert json.loads(out)["cases"][0]["notes"] == 1
    assert run(capsys, "cases", "list", "--json", "--status", "closed")[1].count(original) == 0
    code, out, _ = run(capsys, "cases", "list")
    assert original in out and "Alex" in out and SECRET_NOTE not in out
    code, out, _ = run(capsys, "reports", "list", "--json", "--status", "in_progress")
    assert [row["number"] for row in json.loads(out)["incidents"]] == [original]
    code, out, _ = run(capsys, "reports", "show", original, "--json")
    assert json.loads(out)["case"]["assignee"] == "Alex"
    assert run(capsys, "cases", "assign", original, "--nobody")[0] == 0


def test_the_case_store_holds_no_note_text(scheme, linked, capsys):
    assert run(capsys, "cases", "note", linked[0], SECRET_NOTE)[0] == 0
    data = (scheme.data_dir / "state.sqlite3").read_bytes()
    assert SECRET_NOTE.encode() not in data and b"canary-note" not in data


def test_a_case_saved_meanwhile_is_a_conflict_not_an_overwrite(scheme, linked, capsys):
    original = linked[0]
    settings = Settings.from_environ(
        {"UGLYMUGS_DATA_DIR": str(scheme.data_dir), "UGLYMUGS_KEY_PASSPHRASE": PASSPHRASE}
    )
    casework = Casework(case_store(settings), unlock_case_keys(settings.keys_dir, PASSPHRASE))
    opened_by_alex = casework.load(original)
    assert run(capsys, "cases", "status", original, "closed")[0] == 0
    with pytest.raises(CaseConflictError, match="saved by Sam") as conflict:
        casework.save(opened_by_alex.with_status("in_progress"), "Alex")
    assert conflict.value.newer.status == "closed"
    assert casework.load(original).status == "closed"


def test_bad_input_is_one_line_and_changes_nothing(scheme, linked, capsys):
    code, _, err = run(capsys, "cases", "note", linked[0], "   ")
    assert code == 1 and "must not be empty" in err and err.count("\n") == 1
    code, _, err = run(capsys, "cases", "status", "UM-1234", "closed")
    assert code == 1 and "not a report number" in err
    code, out, _ = run(capsys, "cases", "list", "--json")
    assert json.loads(out) == {"cases": []}


def test_a_key_ring_without_a_case_key_is_told_what_to_run(scheme, linked, capsys):
    for path in (scheme.data_dir / "keys").glob("case-*.json"):
        path.unlink()
    code, _, err = run(capsys, "cases", "status", linked[0], "closed")
    assert code == 1 and "uglymugs keys add-case-key" in err
    code, _, err = run(capsys, "reports", "list", "--json")
    assert code == 0 and "every case is shown as new" in err
    assert run(capsys, "keys", "add-case-key")[0] == 0
    assert run(capsys, "cases", "status", linked[0], "closed")[0] == 0


def test_every_step_is_audited_and_verify_catches_a_changed_entry(scheme, linked, capsys):
    original, later = linked
    run(capsys, "reports", "list")
    run(capsys, "reports", "show", later)
    run(capsys, "cases", "note", original, SECRET_NOTE)
    run(capsys, "cases", "status", original, "closed")
    code, out, _ = run(capsys, "audit", "log", "--json")
    entries = json.loads(out)["entries"]
    assert [(e["who"], e["action"], e["targets"]) for e in entries] == [
        ("Sam", "list", []),
        ("Sam", "read", [later]),
        ("Sam", "note", [original]),
        ("Sam", "status", [original]),
    ]
    assert entries[3]["detail"] == "closed"
    assert SECRET_NOTE not in out
    code, out, _ = run(capsys, "audit", "log")
    assert code == 0 and original in out and "status" in out
    code, out, _ = run(capsys, "audit", "verify")
    assert code == 0 and out.startswith(f"4 entries, intact; head {entries[3]['hash']}")
    with sqlite3.connect(scheme.data_dir / "state.sqlite3") as connection:
        (text,) = connection.execute("SELECT entry FROM audit_log WHERE sequence = 2").fetchone()
        forged = text.replace('"Sam"', '"Alex"')
        connection.execute("UPDATE audit_log SET entry = ? WHERE sequence = 2", (forged,))
    code, out, _ = run(capsys, "audit", "verify")
    assert code == 1
    assert "entry 2: changed after it was written" in out and "BROKEN" in out
