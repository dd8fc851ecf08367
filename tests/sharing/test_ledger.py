"""The sharing ledger over SQLite and DynamoDB (moto): its own chain beside the audit
log, verified by the audit trail's code, holding field names and never values."""

from datetime import UTC, datetime

import pytest

from tests.cases.test_case_store import create_cases_table
from tests.sharing.test_rules import incident, partner
from uglymugs.audit.log.dynamodb import DynamoDBAuditLog
from uglymugs.audit.log.sqlite import SQLiteAuditLog
from uglymugs.audit.trail import record, verify
from uglymugs.sharing.ledger import record_share, shares_of, to_ask_for_deletion, verify_ledger
from uglymugs.sharing.packets import build_packet

NOW = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)


@pytest.fixture(params=["sqlite", "dynamodb"])
def logs(request, tmp_path):
    """(audit log, sharing ledger) in one database, as composition makes them."""
    if request.param == "sqlite":
        path = tmp_path / "state.sqlite3"
        return SQLiteAuditLog(path), SQLiteAuditLog(path, table="sharing_ledger")
    request.getfixturevalue("mocked_aws")
    table = create_cases_table()
    return DynamoDBAuditLog(table), DynamoDBAuditLog(table, partition="sharing")


def test_a_share_is_recorded_in_its_own_chain(logs):
    audit, ledger = logs
    record(audit, "Sam", "read", ["UM-7K3F-92QH-X4PM"])
    shared = incident("self")
    packet = build_packet("scas", shared, partner("scas"), NOW)
    share = record_share(ledger, "Sam", shared, packet, partner("scas"))
    assert share.sequence == 1 and share.digest == packet.digest
    assert share.fields == packet.fields and "what_happened" in share.fields
    assert verify_ledger(ledger).ok and verify_ledger(ledger).count == 1
    assert verify(audit).count == 1
    entry = next(iter(ledger.entries()))
    assert "he would not stop" not in entry.detail  # names, never values
    assert [found.partner for found in shares_of(ledger, shared.numbers)] == ["test-scas"]


def test_a_share_under_a_consent_since_withdrawn_is_listed(logs):
    _audit, ledger = logs
    shared = incident("self")
    record_share(
        ledger, "Sam", shared, build_packet("scas", shared, partner("scas"), NOW), partner("scas")
    )
    assert to_ask_for_deletion(ledger, shared) == []
    assert [
        share.partner for share in to_ask_for_deletion(ledger, incident("self", consent_scas="no"))
    ] == ["test-scas"]


def test_only_the_known_chains_are_tables(tmp_path):
    with pytest.raises(ValueError, match="unknown"):
        SQLiteAuditLog(tmp_path / "x.sqlite3", table="reports; drop table audit_log")
