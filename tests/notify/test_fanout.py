"""Fan-out: every matching member once per alert version and channel, whatever happens.

Local adapters throughout (SQLite ledger and directory, the outbox for e-mail and SMS);
the AWS adapters are exercised the same way in ``test_fanout_aws.py``.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest

from tests.notify.scenario import NOW, REGION_NAMES, SITE_URL, VERIFY_KEYS, alert, member, publish
from uglymugs.alerts.shelf.files import LocalBundleShelf
from uglymugs.members.directory.sqlite import SQLiteMemberDirectory
from uglymugs.messaging.mailer import SES_MAX_DESTINATIONS
from uglymugs.messaging.mailer.outbox import OutboxMailer
from uglymugs.messaging.texter.outbox import OutboxTexter
from uglymugs.notify.fanout import Notifier
from uglymugs.notify.ledger import CLAIM_LEASE, CLAIM_OVERDUE, Held, count_channel
from uglymugs.notify.ledger.sqlite import SQLiteNotificationLedger
from uglymugs.notify.publications import PublicationFeed


class Crash(BaseException):
    """Stands for the process dying: nothing catches it."""


class ProviderError(Exception):
    """A botocore-style error: only its code is looked at."""

    def __init__(self, code: str) -> None:
        super().__init__(f"{code}: something about someone@example.org")
        self.response = {"Error": {"Code": code}}


class FailingMailer:
    """The outbox mailer, with failures injected by call number (1-based)."""

    def __init__(
        self, inner: OutboxMailer, failures: dict[int, BaseException], batch_limit: int = 1
    ) -> None:
        self.inner = inner
        self.failures = failures
        self.calls = 0
        self.batch_limit = batch_limit  # more than 1: stands for SES, one call for many

    def send(self, *args, **kwargs):
        self.inner.send(*args, **kwargs)

    def send_to_many(self, addresses, subject, text, html=None):
        self.calls += 1
        failure = self.failures.get(self.calls)
        if failure is not None:
            raise failure
        self.inner.send_to_many(addresses, subject, text, html)


class RejectingMailer(FailingMailer):
    """Refuses any call that includes ``bad@example.org``, as SES refuses a bad address."""

    def send_to_many(self, addresses, subject, text, html=None):
        self.calls += 1
        if "bad@example.org" in addresses:
            raise ProviderError("MessageRejected")
        self.inner.send_to_many(addresses, subject, text, html)


class CrashingTexter:
    def __init__(self, inner: OutboxTexter, crash_on: int) -> None:
        self.inner, self.crash_on, self.calls = inner, crash_on, 0

    def send(self, to, text):
        self.calls += 1
        if self.calls == self.crash_on:
            raise Crash()
        self.inner.send(to, text)

    def opted_out(self):
        return self.inner.opted_out()


class Scheme:
    def __init__(self, tmp_path, clock) -> None:
        data = tmp_path / "data"
        self.shelf = LocalBundleShelf(data / "shelf")
        self.ledger = SQLiteNotificationLedger(data / "state.sqlite3")
        self.directory = SQLiteMemberDirectory(data / "state.sqlite3")
        self.outbox = OutboxMailer(data / "outbox", notice=lambda line: None)
        self.texts = OutboxTexter(data / "sms-outbox", notice=lambda line: None)
        self.clock = clock
        self.sleeps: list[float] = []

    def notifier(self, mailer=None, texter=None, concurrency=4) -> Notifier:
        return Notifier(
            ledger=self.ledger,
            directory=self.directory,
            mailer=mailer or self.outbox,
            texter=texter or self.texts,
            site_url=SITE_URL,
            region_names=REGION_NAMES,
            clock=self.clock,
            sleep=self.sleeps.append,
            concurrency=concurrency,
        )

    def run(self, **kwargs):
        return self.notifier(**kwargs).catch_up(PublicationFeed(self.shelf, VERIFY_KEYS))

    def emailed(self) -> Counter:
        return Counter(str(message["To"]) for message in self.outbox.messages())

    def texted(self) -> Counter:
        return Counter(to for to, _ in self.texts.messages())


@pytest.fixture
def scheme(tmp_path, clock):
    clock.now = NOW + timedelta(minutes=5)
    return Scheme(tmp_path, clock)


def add_members(scheme, emails=120, texts=10):
    for i in range(emails):
        scheme.directory.add(member(f"Mail{i:03d}"))
    for i in range(texts):
        scheme.directory.add(
            member(
                f"Text{i:03d}", channels=("sms",), mobile=f"+4477009001{i:02d}", discreet=i % 2 == 0
            )
        )
    scheme.directory.add(member("Kent", regions=("kent",)))
    scheme.directory.add(member("Waiting", status="pending"))


def test_every_matching_member_gets_the_alert_once_and_a_rerun_sends_nothing(scheme):
    add_members(scheme)
    publish(scheme.shelf, [alert("2026-0008")])
    report = scheme.run()
    assert report.sent == Counter({"email": 120, "sms": 10})
    emailed = scheme.emailed()
    assert len(emailed) == 120 and set(emailed.values()) == {1}
    assert "kent@example.org" not in emailed and "waiting@example.org" not in emailed
    assert len(scheme.texted()) == 10

    again = scheme.run()
    assert again.sequences == []  # the publication is done
    assert len(scheme.outbox.messages()) == 120 and len(scheme.texts.messages()) == 10


def test_the_same_publication_handed_over_twice_sends_nothing_twice(scheme):
    add_members(scheme, emails=3, texts=2)
    publish(scheme.shelf, [alert("2026-0008")])
    scheme.run()
    publication = PublicationFeed(scheme.shelf, VERIFY_KEYS).publication(1)
    again = scheme.notifier().notify_publication(publication)  # e.g. a repeated invoke
    assert again.sent == Counter() and again.already_done == Counter({"email": 3, "sms": 2})
    assert len(scheme.outbox.messages()) == 3 and len(scheme.texts.messages()) == 2
    publish(scheme.shelf, [alert("2026-0008"), alert("2026-0009")], now=NOW + timedelta(hours=1))
    assert scheme.run().sequences == [2]  # only the new alert is news
    assert len(scheme.outbox.messages()) == 6


def test_a_crash_half_way_then_a_rerun_sends_exactly_the_rest(scheme, clock):
    add_members(scheme)
    publish(scheme.shelf, [alert("2026-0008")])
    mailer = FailingMailer(scheme.outbox, {2: Crash()})
    texter = CrashingTexter(scheme.texts, crash_on=4)
    with pytest.raises(Crash):
        scheme.run(mailer=mailer, texter=texter, concurrency=1)
    sent_before = len(scheme.outbox.messages())
    assert 1 <= sent_before < 120  # died at the second message (the pool may finish another)

    clock.advance(CLAIM_LEASE)  # the dead run's claims run out
    scheme.run(texter=CrashingTexter(scheme.texts, crash_on=0))
    emailed, texted = scheme.emailed(), scheme.texted()
    assert len(emailed) == 120 and set(emailed.values()) == {1}
    assert len(texted) == 10 and set(texted.values()) == {1}
    assert scheme.ledger.done_sequences() == {1}


def test_an_sms_crash_half_way_then_a_rerun_texts_exactly_the_rest(scheme, clock):
    add_members(scheme, emails=0, texts=10)
    publish(scheme.shelf, [alert("2026-0008")])
    with pytest.raises(Crash):
        scheme.run(texter=CrashingTexter(scheme.texts, crash_on=4))
    assert len(scheme.texts.messages()) == 3
    clock.advance(CLAIM_LEASE)
    report = scheme.run()
    assert report.sent["sms"] == 7 and report.already_done["sms"] == 3
    texted = scheme.texted()
    assert len(texted) == 10 and set(texted.values()) == {1}


def test_a_rerun_before_the_lease_runs_out_leaves_the_crashed_batch_alone(scheme, clock):
    add_members(scheme, emails=120, texts=0)
    publish(scheme.shelf, [alert("2026-0008")])
    with pytest.raises(Crash):
        scheme.run(mailer=FailingMailer(scheme.outbox, {2: Crash()}), concurrency=1)
    report = scheme.run()
    assert len(scheme.outbox.messages()) == 71  # all but the 49 the dead run still holds
    assert (report.held.count, report.held.overdue) == (49, 0)  # it died only just now
    assert report.held.until == clock() + CLAIM_LEASE
    assert scheme.ledger.done_sequences() == set()
    clock.advance(CLAIM_LEASE)
    scheme.run()
    emailed = scheme.emailed()
    assert len(emailed) == 120 and set(emailed.values()) == {1}


def test_transient_errors_are_retried_at_once_with_back_off(scheme):
    add_members(scheme, emails=5, texts=0)
    publish(scheme.shelf, [alert("2026-0008")])
    throttled = {1: ProviderError("Throttling"), 2: ProviderError("Throttling")}
    report = scheme.run(mailer=FailingMailer(scheme.outbox, throttled))
    assert report.sent["email"] == 5
    assert len(scheme.sleeps) == 2 and scheme.sleeps[1] > scheme.sleeps[0]


def test_a_provider_that_stays_down_leaves_deliveries_for_a_later_run(scheme, clock):
    add_members(scheme, emails=5, texts=0)
    publish(scheme.shelf, [alert("2026-0008")])
    failures = {n: ProviderError("ServiceUnavailable") for n in range(1, 16)}  # 5 × 3 tries
    down = FailingMailer(scheme.outbox, failures)
    report = scheme.run(mailer=down)
    assert report.retrying["email"] == 5 and not scheme.outbox.messages()
    [plan] = scheme.ledger.plans("2026-0008")
    counts = count_channel(plan, scheme.ledger.deliveries(plan.alert, plan.version).values())
    assert (counts.sent, counts.retrying, counts.pending) == (0, 5, 0)
    error_codes = {d.error for d in scheme.ledger.deliveries(plan.alert, plan.version).values()}
    assert error_codes == {"ServiceUnavailable"}  # the code only: never the message text

    assert scheme.run().sent["email"] == 0  # not due yet
    clock.advance(timedelta(minutes=5))
    assert scheme.run().sent["email"] == 5
    assert scheme.ledger.done_sequences() == {1}


def test_one_rejected_address_does_not_hold_back_the_others(scheme):
    add_members(scheme, emails=4, texts=0)
    scheme.directory.add(member("Bad"))
    publish(scheme.shelf, [alert("2026-0008")])
    mailer = RejectingMailer(scheme.outbox, {}, batch_limit=SES_MAX_DESTINATIONS)
    report = scheme.run(mailer=mailer)
    assert report.sent["email"] == 4 and report.failed["email"] == 1
    assert mailer.calls == 1 + 5  # the batch, then each address on its own
    assert "bad@example.org" not in scheme.emailed()
    assert scheme.ledger.done_sequences() == {1}  # settled: given up is final


def test_members_with_a_failing_channel_are_counted_not_sent(scheme):
    scheme.directory.add(member("Fine"))
    scheme.directory.add(member("Bounced", failing_channels={"email": "permanent bounce"}))
    publish(scheme.shelf, [alert("2026-0008")])
    report = scheme.run()
    assert report.sent["email"] == 1 and report.skipped["email"] == 1
    [plan] = scheme.ledger.plans("2026-0008")
    assert (plan.recipients, plan.skipped) == (1, 1)


def test_stale_publications_are_not_announced(scheme, clock):
    scheme.directory.add(member("Fine"))
    publish(scheme.shelf, [alert("2026-0008")])
    clock.advance(timedelta(days=15))
    assert scheme.run().sequences == []
    assert not scheme.outbox.messages()


def test_a_dead_runs_claims_are_counted_held_then_overdue_then_taken_over(scheme, clock):
    add_members(scheme, emails=10, texts=0)
    publish(scheme.shelf, [alert("2026-0008")])
    died_at = clock()
    with pytest.raises(Crash):
        scheme.run(mailer=FailingMailer(scheme.outbox, {2: Crash()}), concurrency=1)
    assert len(scheme.outbox.messages()) == 1  # 9 more claimed, none sent

    report = scheme.run()
    assert report.sent["email"] == 0 and report.taken_over == 0
    assert report.held == Held(9, overdue=0, since=died_at, until=died_at + CLAIM_LEASE)
    clock.advance(CLAIM_OVERDUE)  # longer than a live run holds a claim
    assert scheme.run().held.overdue == 9
    assert scheme.ledger.done_sequences() == set()

    taken = scheme.notifier()
    taken.take_over = True
    report = taken.catch_up(PublicationFeed(scheme.shelf, VERIFY_KEYS))
    assert report.taken_over == 9 and report.sent["email"] == 9 and report.held == Held()
    emailed = scheme.emailed()
    assert len(emailed) == 10 and set(emailed.values()) == {1}
    assert scheme.ledger.done_sequences() == {1}


def test_a_lease_that_ran_out_is_taken_over_by_the_next_run_and_not_held(scheme, clock):
    add_members(scheme, emails=3, texts=0)
    publish(scheme.shelf, [alert("2026-0008")])
    with pytest.raises(Crash):
        scheme.run(mailer=FailingMailer(scheme.outbox, {1: Crash()}), concurrency=1)
    clock.advance(CLAIM_LEASE)
    report = scheme.run()
    assert report.sent["email"] == 3 and report.held == Held() and report.taken_over == 0
