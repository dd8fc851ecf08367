"""Paced fan-out on the AWS adapters (moto): SES throttles some calls, and a Lambda's
time runs out mid-run. Time is a fake clock that moves only when notify waits."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest

from tests.conftest import create_notify_ledger_table
from tests.notify.scenario import NOW, REGION_NAMES, SITE_URL, VERIFY_KEYS, alert, member, publish
from tests.notify.ses_account import SESAccount
from tests.notify.test_fanout_aws import SENDER, sent_email
from tests.notify.test_pacing import FakeTime, LambdaContext
from uglymugs.messaging.mailer.ses import SESMailer
from uglymugs.messaging.texter.sns import SNSTexter
from uglymugs.notify.fanout import Notifier
from uglymugs.notify.ledger import DeliveryState
from uglymugs.notify.ledger.dynamodb import DynamoDBNotificationLedger
from uglymugs.notify.pacing import STOP_MARGIN, Deadline
from uglymugs.notify.publications import PublicationFeed


@pytest.fixture
def world(aws_resources, aws_bundle_shelf, clock):
    import boto3

    from uglymugs.members.directory.dynamodb import DynamoDBMemberDirectory

    sesv2 = boto3.client("sesv2")
    sesv2.create_email_identity(EmailIdentity=SENDER)
    clock.now = NOW + timedelta(minutes=5)
    directory = DynamoDBMemberDirectory(aws_resources.members_table)
    ledger = DynamoDBNotificationLedger(create_notify_ledger_table())
    time = FakeTime()

    def notifier(ses: SESAccount, context=None) -> Notifier:
        return Notifier(
            ledger=ledger,
            directory=directory,
            mailer=SESMailer(SENDER, client=ses),
            texter=SNSTexter(),
            site_url=SITE_URL,
            region_names=REGION_NAMES,
            clock=clock,
            sleep=time.sleep,
            monotonic=time,
            deadline=Deadline(context),
            concurrency=1,  # moto's DynamoDB is not thread-safe (DynamoDB itself is)
        )

    def members(count: int) -> None:
        for i in range(count):
            directory.add(member(f"Mail{i:03d}"))
        publish(aws_bundle_shelf, [alert("2026-0008")])

    feed = PublicationFeed(aws_bundle_shelf, VERIFY_KEYS)
    return notifier, members, feed, ledger, time, sesv2


def recipients() -> Counter:
    return Counter(a for m in sent_email() for a in m.destinations["BccAddresses"])


def test_a_throttled_run_slows_down_and_still_sends_everyone_once(world):
    notifier, members, feed, _, time, sesv2 = world
    members(120)
    ses = SESAccount(sesv2, rate=20, clock=time, throttle=lambda call: call in (2, 5))

    report = notifier(ses).catch_up(feed)

    assert report.sent == Counter({"email": 120})
    assert not report.retrying and not report.failed and not report.deferred
    assert ses.throttled == 2
    assert len(recipients()) == 120 and set(recipients().values()) == {1}
    assert max(n for _, n in ses.accepted) <= 20  # a call never holds more than a second's
    # Over the whole run, and over any 5 seconds, never faster than the account's rate
    # (the bucket's one second of burst aside).
    times = [t for t, _ in ses.accepted]
    assert 120 / (times[-1] - times[0] + 1) <= 20
    for start in times:
        assert sum(n for t, n in ses.accepted if start <= t < start + 5) <= 20 * 5 + 20
    assert time.slept, "the run waited for its pace"


def test_a_run_out_of_time_stops_claiming_and_the_next_run_sends_the_rest_once(world):
    notifier, members, feed, ledger, time, sesv2 = world
    members(100)
    ses = SESAccount(sesv2, rate=2, clock=time)  # 50 addresses take 25 s
    context = LambdaContext(time, budget=STOP_MARGIN.total_seconds() + 30)

    first = notifier(ses, context).catch_up(feed)

    assert first.out_of_time
    assert first.sent == Counter({"email": 50}) and first.deferred == Counter({"email": 50})
    assert context.get_remaining_time_in_millis() > 0  # the run stopped, not Lambda
    deliveries = ledger.deliveries("2026-0008", next(iter(ledger.plans())).version)
    states = Counter(d.state for d in deliveries.values())
    assert states == Counter({DeliveryState.SENT: 50})  # nothing claimed and left unsent
    assert ledger.done_sequences() == set()

    second = notifier(ses, LambdaContext(time, budget=900)).catch_up(feed)

    assert second.sent == Counter({"email": 50}) and not second.out_of_time
    assert second.already_done == Counter({"email": 50})
    assert len(recipients()) == 100 and set(recipients().values()) == {1}
    assert len(ledger.done_sequences()) == 1


def test_the_days_quota_defers_what_it_cannot_send_without_failing_anyone(world):
    notifier, members, feed, ledger, time, sesv2 = world
    members(120)
    ses = SESAccount(sesv2, rate=50, daily=1000, sent=920, clock=time)  # 80 left today

    report = notifier(ses).catch_up(feed)

    # Chunks of 50, 50 and 20: the first fits, the second does not, the last does.
    assert report.sent == Counter({"email": 70})
    assert report.deferred == Counter({"email": 50})
    assert not report.failed and not report.retrying
    assert not report.out_of_time and ledger.done_sequences() == set()
