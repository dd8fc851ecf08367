"""The case store contract, over SQLite and DynamoDB (moto), and casework above it:
records are sealed before they are stored, and a stale save is refused with the newer
record, never overwriting it."""

from datetime import UTC, datetime

import nacl.utils
import pytest

from tests.conftest import create_pk_sk_table
from uglymugs.cases.links import suggest_links
from uglymugs.cases.records import (
    CaseConflictError,
    CaseError,
    CaseKeyError,
    Casework,
    decide_link,
    link_decisions,
    linked_by_hand,
)
from uglymugs.cases.store import SealedCase, StaleVersionError
from uglymugs.cases.store.dynamodb import DynamoDBCaseStore
from uglymugs.cases.store.sqlite import SQLiteCaseStore
from uglymugs.reports.incidents import group_incidents
from uglymugs.reports.reading import OpenedReport

NUMBER = "UM-7K3F-92QH-X4PM"
SECRET_NOTE = "canary-note-41c2 she is staying at her sister's on Elm Road"
NOW = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)
CASES_TABLE = "uglymugs-test-cases"


def create_cases_table(name: str = CASES_TABLE) -> str:
    """The table as the SAM template makes it: ``pk``/``sk`` strings."""
    return create_pk_sk_table(name)


@pytest.fixture(params=["sqlite", "dynamodb"])
def store(request, tmp_path):
    if request.param == "sqlite":
        return SQLiteCaseStore(tmp_path / "data" / "state.sqlite3")
    request.getfixturevalue("mocked_aws")
    return DynamoDBCaseStore(create_cases_table())


def sealed(version, ciphertext=b"sealed", number=NUMBER):
    return SealedCase(number, version, "case-abc", ciphertext, f"2026-11-29T09:0{version}:00")


def test_versions_go_up_one_at_a_time_and_a_stale_save_gets_the_newer_record(store):
    assert store.get(NUMBER) is None
    store.put(sealed(1, b"first"))
    with pytest.raises(StaleVersionError) as stale:
        store.put(sealed(1, b"someone else's first"))
    assert stale.value.current == sealed(1, b"first")
    store.put(sealed(2, b"second"))
    with pytest.raises(StaleVersionError) as stale:
        store.put(sealed(2, b"based on version 1"))
    assert stale.value.current.version == 2 and stale.value.current.ciphertext == b"second"
    with pytest.raises(StaleVersionError):
        store.put(sealed(5, b"from nowhere"))
    assert store.get(NUMBER) == sealed(2, b"second")
    store.put(sealed(1, b"other", number="UM-Q2WE-8RTY-ZX4C"))
    assert sorted(record.number for record in store.all()) == [NUMBER, "UM-Q2WE-8RTY-ZX4C"]


@pytest.fixture
def keys():
    return {"case-old": nacl.utils.random(32), "case-new": nacl.utils.random(32)}


def test_casework_seals_records_and_opens_them_again(store, keys):
    casework = Casework(store, keys, clock=lambda: NOW)
    record = casework.load(NUMBER)
    assert (record.status, record.version) == ("new", 0)
    changed = (
        record.with_status("in_progress")
        .with_assignee("Sam")
        .with_note(SECRET_NOTE, "Sam", NOW)
        .with_contact("called_back", "Sam", NOW, "agreed to talk Friday")
    )
    saved = casework.save(changed, "Sam")
    assert saved.version == 1 and saved.saved_by == "Sam"
    stored = store.get(NUMBER)
    assert stored.key_id == "case-new"
    assert SECRET_NOTE.encode() not in stored.ciphertext and b"Sam" not in stored.ciphertext
    again = casework.load(NUMBER)
    assert again == saved
    assert again.notes[0].text == SECRET_NOTE and again.contacts[0].kind == "called_back"


def test_two_staff_saving_one_case_the_second_is_told(store, keys):
    sam = Casework(store, keys, clock=lambda: NOW)
    alex = Casework(store, keys, clock=lambda: NOW)
    casework_of_sam, casework_of_alex = sam.load(NUMBER), alex.load(NUMBER)
    sam.save(casework_of_sam.with_status("in_progress"), "Sam")
    with pytest.raises(CaseConflictError) as conflict:
        alex.save(casework_of_alex.with_status("closed"), "Alex")
    assert conflict.value.newer.status == "in_progress"
    assert conflict.value.newer.saved_by == "Sam" and conflict.value.newer.version == 1
    assert "saved by Sam" in str(conflict.value) and "nothing was overwritten" in str(
        conflict.value
    )
    assert alex.load(NUMBER).status == "in_progress"


def test_a_record_sealed_with_an_unknown_key_or_for_another_case_does_not_open(store, keys):
    Casework(store, keys).save(Casework(store, keys).load(NUMBER), "Sam")
    with pytest.raises(CaseKeyError):
        Casework(store, {"case-other": nacl.utils.random(32)}).load(NUMBER)
    moved = store.get(NUMBER)
    store.put(SealedCase("UM-Q2WE-8RTY-ZX4C", 1, moved.key_id, moved.ciphertext, moved.saved_at))
    with pytest.raises(CaseKeyError, match="another case"):
        Casework(store, keys).load("UM-Q2WE-8RTY-ZX4C")


def test_bad_changes_are_refused():
    from uglymugs.cases.records import CaseRecord

    record = CaseRecord(NUMBER)
    with pytest.raises(CaseError, match="status must be one of"):
        record.with_status("done")
    with pytest.raises(CaseError, match="must not be empty"):
        record.with_note("   ", "Sam", NOW)
    with pytest.raises(CaseError, match="a contact must be one of"):
        record.with_contact("texted", "Sam", NOW)
    with pytest.raises(CaseError, match="at most"):
        record.with_note("x" * 10_001, "Sam", NOW)


def test_the_composition_root_chooses_the_store_and_log_from_cases_table(tmp_path):
    from uglymugs import composition
    from uglymugs.config import Settings

    local = Settings.from_environ({"UGLYMUGS_DATA_DIR": str(tmp_path)})
    aws = Settings.from_environ({"UGLYMUGS_CASES_TABLE": CASES_TABLE})
    assert type(composition.case_store(local)).__name__ == "SQLiteCaseStore"
    assert type(composition.audit_log(local)).__name__ == "SQLiteAuditLog"
    assert type(composition.case_store(aws)).__name__ == "DynamoDBCaseStore"
    assert type(composition.audit_log(aws)).__name__ == "DynamoDBAuditLog"


def test_a_link_made_by_hand_is_sealed_with_its_reason_in_both_cases(tmp_path, keys):
    store = SQLiteCaseStore(tmp_path / "data" / "state.sqlite3")
    casework = Casework(store, keys, clock=lambda: NOW)
    other = "UM-Q2WE-8RTY-ZX4C"
    reason = "the same voice on the phone, says outreach"
    decide_link(casework, NUMBER, other, "confirmed", "Sam", reason)
    assert reason.encode() not in store.get(NUMBER).ciphertext
    records = casework.all()
    assert [entry.reason for entry in records[other].links] == [reason]
    assert link_decisions(records) == {frozenset((NUMBER, other)): "confirmed"}
    assert linked_by_hand(records) == {frozenset((NUMBER, other)): reason}
    reports = [
        OpenedReport(n, "2026-01-01", "report-x", {"report_type": "full", "answers": {}})
        for n in (NUMBER, other, "UM-3333-4444-5555")
    ]
    incidents = group_incidents(reports)
    [link] = suggest_links(incidents, by_hand=linked_by_hand(records))
    assert {link.a, link.b} == {NUMBER, other} and link.confirmed and link.score == 0.0
    assert link.reasons == (f"linked by a caseworker: {reason}",)
    decide_link(casework, other, NUMBER, "dismissed", "Alex")  # a later decision wins
    assert linked_by_hand(casework.all()) == {}
    with pytest.raises(CaseError):
        casework.load(NUMBER).with_link(other, "confirmed", "Sam", NOW, "x" * 10_001)
