"""One contract for every idempotency ledger: one binding per key, for a day."""

from datetime import timedelta

import boto3
import pytest

from uglymugs.reports.claims import IDEMPOTENCY_TTL, UnknownClaimError

KEY = "k" * 64
OTHER_KEY = "o" * 64


@pytest.fixture
def ledger(report_storage):
    return report_storage.ledger


def test_the_first_claim_binds_the_number(ledger):
    claim = ledger.claim(KEY, "payload-1", "UM-AAAA-AAAA-AAAA")
    assert (claim.report_number, claim.payload_digest, claim.created_now) == (
        "UM-AAAA-AAAA-AAAA",
        "payload-1",
        True,
    )


def test_a_second_claim_gets_the_first_binding(ledger):
    ledger.claim(KEY, "payload-1", "UM-AAAA-AAAA-AAAA")
    again = ledger.claim(KEY, "payload-1", "UM-BBBB-BBBB-BBBB")
    assert (again.report_number, again.created_now) == ("UM-AAAA-AAAA-AAAA", False)


def test_a_different_payload_is_visible_to_the_second_claimer(ledger):
    ledger.claim(KEY, "payload-1", "UM-AAAA-AAAA-AAAA")
    again = ledger.claim(KEY, "payload-2", "UM-BBBB-BBBB-BBBB")
    assert again.payload_digest == "payload-1"
    assert again.created_now is False


def test_keys_are_independent(ledger):
    ledger.claim(KEY, "payload-1", "UM-AAAA-AAAA-AAAA")
    other = ledger.claim(OTHER_KEY, "payload-1", "UM-BBBB-BBBB-BBBB")
    assert (other.report_number, other.created_now) == ("UM-BBBB-BBBB-BBBB", True)


def test_a_claim_holds_until_its_expiry(ledger, clock):
    ledger.claim(KEY, "payload-1", "UM-AAAA-AAAA-AAAA")
    clock.advance(IDEMPOTENCY_TTL)
    assert ledger.claim(KEY, "payload-2", "UM-BBBB-BBBB-BBBB").created_now is False


def test_an_expired_claim_counts_as_absent(ledger, clock):
    ledger.claim(KEY, "payload-1", "UM-AAAA-AAAA-AAAA")
    clock.advance(IDEMPOTENCY_TTL + timedelta(seconds=1))
    fresh = ledger.claim(KEY, "payload-2", "UM-BBBB-BBBB-BBBB")
    assert (fresh.report_number, fresh.payload_digest, fresh.created_now) == (
        "UM-BBBB-BBBB-BBBB",
        "payload-2",
        True,
    )


def test_rebind_points_the_key_at_a_new_number(ledger):
    ledger.claim(KEY, "payload-1", "UM-AAAA-AAAA-AAAA")
    ledger.rebind(KEY, "UM-CCCC-CCCC-CCCC")
    again = ledger.claim(KEY, "payload-1", "UM-BBBB-BBBB-BBBB")
    assert (again.report_number, again.payload_digest) == ("UM-CCCC-CCCC-CCCC", "payload-1")


def test_rebind_of_an_unknown_or_expired_key_fails(ledger, clock):
    with pytest.raises(UnknownClaimError):
        ledger.rebind(KEY, "UM-CCCC-CCCC-CCCC")
    ledger.claim(KEY, "payload-1", "UM-AAAA-AAAA-AAAA")
    clock.advance(IDEMPOTENCY_TTL + timedelta(seconds=1))
    with pytest.raises(UnknownClaimError):
        ledger.rebind(KEY, "UM-CCCC-CCCC-CCCC")


def test_dynamodb_items_hold_only_the_four_attributes(aws_report_storage, aws_resources, clock):
    aws_report_storage.ledger.claim(KEY, "payload-1", "UM-AAAA-AAAA-AAAA")
    item = boto3.client("dynamodb").get_item(
        TableName=aws_resources.table_name, Key={"id": {"S": KEY}}
    )["Item"]
    assert set(item) == {"id", "payload_digest", "report_number", "expiration"}
    assert int(item["expiration"]["N"]) == int((clock() + IDEMPOTENCY_TTL).timestamp())


def test_sqlite_ledger_file_is_private(tmp_path, clock):
    from uglymugs.reports.claims.sqlite import SQLiteIdempotencyLedger

    SQLiteIdempotencyLedger(tmp_path / "data" / "state.sqlite3", clock=clock).claim(
        KEY, "p", "UM-AAAA-AAAA-AAAA"
    )
    assert (tmp_path / "data" / "state.sqlite3").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "data").stat().st_mode & 0o777 == 0o700


def test_concurrent_sqlite_claims_bind_one_number(tmp_path, clock):
    from concurrent.futures import ThreadPoolExecutor

    from uglymugs.reports.claims.sqlite import SQLiteIdempotencyLedger

    ledger = SQLiteIdempotencyLedger(tmp_path / "state.sqlite3", clock=clock)
    with ThreadPoolExecutor(max_workers=8) as pool:
        claims = list(
            pool.map(lambda n: ledger.claim(KEY, "p", f"UM-{n:04d}-0000-0000"), range(16))
        )
    assert sum(claim.created_now for claim in claims) == 1
    assert len({claim.report_number for claim in claims}) == 1
