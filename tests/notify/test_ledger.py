"""The notification ledger's contract, on SQLite and on DynamoDB (moto)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from uglymugs.notify.ledger import (
    CLAIM_LEASE,
    CLAIM_OVERDUE,
    DeliveryKey,
    DeliveryState,
    Held,
    Plan,
    count_channel,
    held_counts,
)

NOW = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)


def keys(count: int, channel: str = "email", version: str = "v1") -> list[DeliveryKey]:
    return [DeliveryKey("2026-0001", version, channel, f"m{i:05d}") for i in range(count)]


def test_a_key_is_claimed_once(notify_ledger):
    first = keys(3)
    assert notify_ledger.claim(first, NOW) == first
    assert notify_ledger.claim(first, NOW) == []
    assert notify_ledger.claim(keys(5), NOW) == keys(5)[3:]


def test_sent_and_given_up_deliveries_are_never_claimed_again(notify_ledger):
    sent, gave_up = keys(2)
    notify_ledger.claim([sent, gave_up], NOW)
    notify_ledger.record_sent([sent], NOW)
    notify_ledger.record_failed([gave_up], NOW, "MessageRejected", None)
    much_later = NOW + timedelta(days=30)
    assert notify_ledger.claim([sent, gave_up], much_later) == []
    recorded = notify_ledger.deliveries("2026-0001", "v1")
    assert recorded[sent].state == DeliveryState.SENT
    assert recorded[gave_up].state == DeliveryState.GAVE_UP
    assert recorded[gave_up].error == "MessageRejected"


def test_a_failed_delivery_is_claimed_again_when_its_next_attempt_is_due(notify_ledger):
    [key] = keys(1)
    notify_ledger.claim([key], NOW)
    notify_ledger.record_failed([key], NOW, "Throttling", NOW + timedelta(minutes=5))
    assert notify_ledger.claim([key], NOW + timedelta(minutes=4)) == []
    assert notify_ledger.claim([key], NOW + timedelta(minutes=5)) == [key]
    delivery = notify_ledger.deliveries("2026-0001", "v1")[key]
    assert delivery.attempts == 2 and delivery.state == DeliveryState.SENDING


def test_a_claim_whose_sender_died_is_taken_over_after_its_lease(notify_ledger):
    [key] = keys(1)
    notify_ledger.claim([key], NOW)
    assert notify_ledger.claim([key], NOW + CLAIM_LEASE - timedelta(seconds=1)) == []
    assert notify_ledger.claim([key], NOW + CLAIM_LEASE) == [key]


def test_versions_and_channels_are_separate_deliveries(notify_ledger):
    email, sms, other_version = keys(1)[0], keys(1, "sms")[0], keys(1, version="v2")[0]
    assert notify_ledger.claim([email, sms, other_version], NOW) == [email, sms, other_version]
    assert set(notify_ledger.deliveries("2026-0001", "v1")) == {email, sms}


def test_release_ends_the_leases_of_claimed_deliveries_only(notify_ledger):
    sent, held, other_version = keys(2) + keys(1, version="v2")
    notify_ledger.claim([sent, held, other_version], NOW)
    notify_ledger.record_sent([sent], NOW)
    later = NOW + timedelta(minutes=1)
    assert notify_ledger.claim([held], later) == []  # leased to the run that died
    assert notify_ledger.release("2026-0001", "v1", later) == 1
    assert notify_ledger.claim([sent, held, other_version], later) == [held]
    assert notify_ledger.deliveries("2026-0001", "v1")[sent].state == DeliveryState.SENT
    assert notify_ledger.release("2026-0001", "v9", later) == 0


def test_held_deliveries_are_counted_with_since_until_and_overdue(notify_ledger):
    early, fresh, sent = keys(3)
    notify_ledger.claim([early], NOW)
    notify_ledger.claim([fresh, sent], NOW + timedelta(minutes=2))
    notify_ledger.record_sent([sent], NOW + timedelta(minutes=2))
    recorded = notify_ledger.deliveries("2026-0001", "v1").values()
    assert held_counts(recorded, NOW + timedelta(minutes=3)) == Held(
        count=2, overdue=0, since=NOW, until=NOW + timedelta(minutes=2) + CLAIM_LEASE
    )
    assert held_counts(recorded, NOW + CLAIM_OVERDUE).overdue == 1  # held longer than a run
    assert held_counts(recorded, NOW + CLAIM_LEASE + timedelta(hours=1)).overdue == 2
    assert held_counts([], NOW) == Held()


def test_claims_in_batches_larger_than_one_transaction(notify_ledger):
    many = keys(230)
    notify_ledger.claim(many[100:110], NOW)  # some already taken: the rest still claimed
    claimed = notify_ledger.claim(many, NOW)
    assert len(claimed) == 220 and not set(claimed) & set(many[100:110])
    notify_ledger.record_sent(claimed, NOW)
    states = {d.state for d in notify_ledger.deliveries("2026-0001", "v1").values()}
    assert states == {DeliveryState.SENT, DeliveryState.SENDING}


def test_plans_and_counts(notify_ledger):
    plan = Plan("2026-0001", "v1", "email", "new", 1, recipients=4, skipped=1, updated_at=NOW)
    notify_ledger.save_plan(plan)
    notify_ledger.save_plan(Plan("2026-0002", "v9", "sms", "new", 2, 1, 0, NOW))
    assert notify_ledger.plans("2026-0001") == [plan]
    assert [p.alert for p in notify_ledger.plans()] == ["2026-0001", "2026-0002"]
    a, b, c, d, _ = keys(5)
    notify_ledger.claim([a, b, c, d], NOW)
    notify_ledger.record_sent([a], NOW)
    notify_ledger.record_failed([b], NOW, "MessageRejected", None)
    notify_ledger.record_failed([c], NOW, "Throttling", NOW + timedelta(minutes=5))
    counts = count_channel(plan, notify_ledger.deliveries("2026-0001", "v1").values())
    assert (
        counts.recipients,
        counts.sent,
        counts.failed,
        counts.retrying,
        counts.held,
        counts.pending,
    ) == (
        5,
        1,
        2,  # one given up, one skipped because the channel is failing
        1,
        1,  # d: claimed by a run, not recorded yet
        0,
    )


def test_done_sequences(notify_ledger):
    assert notify_ledger.done_sequences() == set()
    notify_ledger.mark_done(3, NOW)
    notify_ledger.mark_done(3, NOW)
    notify_ledger.mark_done(5, NOW)
    assert notify_ledger.done_sequences() == {3, 5}


def test_forget_member_deletes_that_members_deliveries_only(notify_ledger):
    mine = [DeliveryKey("2026-0001", "v1", channel, "m-leaving") for channel in ("email", "sms")]
    mine.append(DeliveryKey("2026-0002", "2", "email", "m-leaving"))
    theirs = keys(2)
    notify_ledger.claim(mine + theirs, NOW)
    notify_ledger.record_sent(mine, NOW)
    assert notify_ledger.forget_member("m-leaving") == 3
    assert set(notify_ledger.deliveries("2026-0001", "v1")) == set(theirs)
    assert notify_ledger.deliveries("2026-0002", "2") == {}
    assert notify_ledger.forget_member("m-leaving") == 0


def test_dynamodb_reads_every_page_of_a_query_and_a_scan(aws_notify_ledger):
    import boto3

    failed = keys(4)
    long_error = "x" * 300_000  # four such items pass DynamoDB's 1 MB page
    aws_notify_ledger.claim(failed, NOW)
    aws_notify_ledger.record_failed(failed, NOW, long_error, None)
    first_page = boto3.client("dynamodb").query(
        TableName=aws_notify_ledger.table_name,
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": "D#2026-0001#v1"}},
    )
    assert "LastEvaluatedKey" in first_page and len(first_page["Items"]) < 4
    recorded = aws_notify_ledger.deliveries("2026-0001", "v1")
    assert sorted(recorded) == failed
    assert {delivery.error for delivery in recorded.values()} == {long_error}
    assert len(aws_notify_ledger.member_records(failed[-1].member_id)) == 1
    assert aws_notify_ledger.forget_member(failed[-1].member_id) == 1


def test_threads_claiming_at_once_each_get_only_their_own_keys(tmp_path):
    """The SQLite ledger keeps a connection per thread: eight threads claiming
    overlapping chunks at once each get the keys nobody else got, and record them."""
    from concurrent.futures import ThreadPoolExecutor

    from uglymugs.notify.ledger.sqlite import SQLiteNotificationLedger

    ledger = SQLiteNotificationLedger(tmp_path / "state.sqlite3")
    wanted = [DeliveryKey("2026-0008", "v1", "email", f"m{i:03d}") for i in range(200)]

    def claim_and_record(start: int) -> list[DeliveryKey]:
        claimed = ledger.claim(wanted[start : start + 50], NOW)  # chunks overlap by half
        ledger.record_sent(claimed, NOW)
        return claimed

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(claim_and_record, range(0, 200, 25)))
    claimed = [key for result in results for key in result]
    assert sorted(claimed) == wanted  # every key claimed, by one thread only
    states = {d.state for d in ledger.deliveries("2026-0008", "v1").values()}
    assert states == {DeliveryState.SENT}
