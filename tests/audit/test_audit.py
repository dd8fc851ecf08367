"""The audit trail over SQLite and DynamoDB (moto): entries chain by hash, and
``verify`` finds a changed entry and a removed one."""

import sqlite3
from datetime import UTC, datetime

import pytest

from tests.cases.test_case_store import create_cases_table
from uglymugs.audit.log import AuditEntry
from uglymugs.audit.log.dynamodb import DynamoDBAuditLog
from uglymugs.audit.log.sqlite import SQLiteAuditLog
from uglymugs.audit.trail import GENESIS, AuditError, entries_for, record, verify

NUMBER = "UM-7K3F-92QH-X4PM"


@pytest.fixture(params=["sqlite", "dynamodb"])
def log(request, tmp_path):
    if request.param == "sqlite":
        return SQLiteAuditLog(tmp_path / "data" / "state.sqlite3")
    request.getfixturevalue("mocked_aws")
    return DynamoDBAuditLog(create_cases_table())


def clock():
    return datetime(2026, 11, 29, 9, 0, tzinfo=UTC)


def fill(log):
    record(log, "Sam", "read", [NUMBER], clock=clock)
    record(log, "Sam", "draft", [NUMBER], detail="2026-0042", clock=clock)
    record(log, "Alex", "approve", ["DaveM"], clock=clock)
    return list(log.entries())


def test_entries_chain_and_verify(log):
    first, second, third = fill(log)
    assert [e.sequence for e in (first, second, third)] == [1, 2, 3]
    assert first.previous_hash == GENESIS and second.previous_hash == first.hash
    assert (third.who, third.action, third.targets) == ("Alex", "approve", ("DaveM",))
    result = verify(log)
    assert result.ok and result.count == 3 and result.head == third.hash
    assert [e.action for e in entries_for(log, NUMBER)] == ["read", "draft"]


def test_an_empty_log_verifies(log):
    assert verify(log).ok and verify(log).count == 0 and verify(log).head == GENESIS


def test_an_append_never_replaces_an_entry(log):
    first, *_ = fill(log)
    assert log.append(AuditEntry(1, first.at, "Eve", "read", (), "", GENESIS, "x")) is False
    assert next(log.entries()) == first


def test_unknown_actions_are_refused(log):
    with pytest.raises(AuditError):
        record(log, "Sam", "delete-everything", [NUMBER])


def tamper_sqlite(path, sequence, entry=None):
    with sqlite3.connect(path) as connection:
        if entry is None:
            connection.execute("DELETE FROM audit_log WHERE sequence = ?", (sequence,))
        else:
            connection.execute(
                "UPDATE audit_log SET entry = ? WHERE sequence = ?", (entry.to_json(), sequence)
            )


def tamper_dynamodb(table, sequence, entry=None):
    import boto3

    key = {"pk": {"S": "audit"}, "sk": {"S": str(sequence).zfill(12)}}
    client = boto3.client("dynamodb")
    if entry is None:
        client.delete_item(TableName=table, Key=key)
    else:
        client.put_item(TableName=table, Item={**key, "entry": {"S": entry.to_json()}})


def tamper(log, sequence, entry=None):
    if isinstance(log, SQLiteAuditLog):
        tamper_sqlite(log.db_path, sequence, entry)
    else:
        tamper_dynamodb(log.table_name, sequence, entry)


def test_verify_detects_a_changed_entry(log):
    _, second, _ = fill(log)
    forged = AuditEntry(**{**second.__dict__, "who": "Alex"})
    tamper(log, 2, forged)
    result = verify(log)
    assert not result.ok
    assert result.problems == ("entry 2: changed after it was written",)


def test_verify_detects_a_rehashed_change_by_the_next_link(log):
    from uglymugs.audit.trail import entry_hash

    _, second, _ = fill(log)
    fields = {**second.__dict__, "action": "read"}
    fields["hash"] = entry_hash(
        *(
            fields[k]
            for k in ("sequence", "at", "who", "action", "targets", "detail", "previous_hash")
        )
    )
    tamper(log, 2, AuditEntry(**fields))
    assert verify(log).problems == ("entry 3: does not follow the entry before it",)


def test_verify_detects_a_deleted_entry(log):
    fill(log)
    tamper(log, 2)
    problems = verify(log).problems
    assert "entry 3: expected entry 2 here (entries are missing)" in problems
    assert "entry 3: does not follow the entry before it" in problems
