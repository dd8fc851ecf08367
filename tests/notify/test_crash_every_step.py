"""A crash duplicates at most the one message in flight, and misses nobody.

The claim in ``docs/notify.md``, shown by killing a run at **every** step of sending a
publication, one run per step, not at random: each provider call (an outbox file, an
SES ``SendEmail``, an SNS ``Publish``) and each ledger write (plans, claims, outcomes,
the publication done), both just before the step and just after it. A kill is a
``BaseException`` nothing catches; once it has struck, every later step dies too, as
the process would have. Then the lease runs out (the clock moves) and an unkilled run
finishes the job. Counted: every member got the alert (nothing missed), and at most
one message — one provider call — was sent twice. It is sent twice exactly when the
kill fell between the provider accepting it and the ledger recording it.

With ``--concurrency 1`` that is one message per kill; with N threads a kill catches
up to N calls in flight, one per thread, and the threaded test counts at most N.
"""

from __future__ import annotations

import itertools
import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest

from tests.conftest import AWS_REGION, create_notify_ledger_table
from tests.notify.scenario import NOW, REGION_NAMES, SITE_URL, VERIFY_KEYS, alert, member, publish
from tests.notify.ses_account import SESAccount
from uglymugs.alerts.shelf.files import LocalBundleShelf
from uglymugs.members.directory.dynamodb import DynamoDBMemberDirectory
from uglymugs.members.directory.sqlite import SQLiteMemberDirectory
from uglymugs.messaging.mailer import SES_MAX_DESTINATIONS
from uglymugs.messaging.mailer.outbox import OutboxMailer
from uglymugs.messaging.mailer.ses import SESMailer
from uglymugs.messaging.texter.outbox import OutboxTexter
from uglymugs.messaging.texter.sns import SNSTexter
from uglymugs.notify.fanout import Notifier
from uglymugs.notify.ledger import CLAIM_LEASE, DeliveryKey, DeliveryState
from uglymugs.notify.ledger.dynamodb import DynamoDBNotificationLedger
from uglymugs.notify.ledger.sqlite import SQLiteNotificationLedger
from uglymugs.notify.publications import PublicationFeed

SENDER = "alerts@um.example"
# A message: its channel, what it said (subject or text) and the addresses one
# provider call sent it to.
Message = tuple[str, str, frozenset[str]]


class Crash(BaseException):
    """The process dying: nothing catches it."""


class Killer:
    """Numbers a run's steps and dies at step ``at``, just ``before`` or just after it."""

    def __init__(self, at: int | None = None, before: bool = False) -> None:
        self.at, self.before = at, before
        self.steps: list[str] = []  # what each step was, in order
        self.dead = False
        self._lock = threading.Lock()  # the sending threads share one process

    def step(self, kind: str, action: Callable[[], Any]) -> Any:
        with self._lock:
            if self.dead:
                raise Crash()  # a dead process takes no further step, on any thread
            self.steps.append(kind)
            number = len(self.steps)
            if number == self.at and self.before:
                self.dead = True
                raise Crash()
        result = action()
        if number == self.at:
            self.dead = True
            raise Crash()
        return result


class KillableLedger:
    """A ledger whose every write is a step of the killer; reads pass through."""

    def __init__(self, inner: Any, killer: Killer) -> None:
        self.inner, self.killer = inner, killer
        self.record_limit = inner.record_limit

    def __getattr__(self, name: str) -> Any:  # deliveries, plans, done_sequences
        return getattr(self.inner, name)

    def _write(self, name: str, *arguments: Any) -> Any:
        return self.killer.step(name, lambda: getattr(self.inner, name)(*arguments))

    def claim(self, *arguments):
        return self._write("claim", *arguments)

    def record_sent(self, *arguments):
        return self._write("record_sent", *arguments)

    def record_failed(self, *arguments):
        return self._write("record_failed", *arguments)

    def release(self, *arguments):
        return self._write("release", *arguments)

    def save_plan(self, *arguments):
        return self._write("save_plan", *arguments)

    def mark_done(self, *arguments):
        return self._write("mark_done", *arguments)


class KillableMailer:
    def __init__(self, inner: Any, killer: Killer) -> None:
        self.inner, self.killer = inner, killer
        self.batch_limit = inner.batch_limit

    def send(self, *arguments):
        return self.killer.step("send", lambda: self.inner.send(*arguments))

    def send_to_many(self, *arguments):
        return self.killer.step("send", lambda: self.inner.send_to_many(*arguments))


class KillableTexter:
    def __init__(self, inner: Any, killer: Killer) -> None:
        self.inner, self.killer = inner, killer
        if hasattr(inner, "send_many"):  # the outbox: many SMS a call, as e-mail
            self.batch_limit = inner.batch_limit

    def send(self, to, text):
        return self.killer.step("send", lambda: self.inner.send(to, text))

    def send_many(self, messages):
        return self.killer.step("send", lambda: self.inner.send_many(messages))

    def opted_out(self):
        return self.inner.opted_out()


@dataclass
class World:
    """One scheme with an empty ledger and nothing sent yet."""

    ledger: Any
    directory: Any
    mailer: Any
    texter: Any
    feed: PublicationFeed
    clock: Any
    sent: Callable[[], list[Message]]  # every message sent so far, in order per channel
    concurrency: int = 1

    def run(self, killer: Killer) -> None:
        Notifier(
            ledger=KillableLedger(self.ledger, killer),
            directory=self.directory,
            mailer=KillableMailer(self.mailer, killer),
            texter=KillableTexter(self.texter, killer),
            site_url=SITE_URL,
            region_names=REGION_NAMES,
            clock=self.clock,
            sleep=lambda seconds: None,
            concurrency=self.concurrency,
        ).catch_up(self.feed)


def duplicated(messages: list[Message]) -> list[Message]:
    """Messages that reached someone who already had the same message on that channel."""
    seen: set[tuple[str, str, str]] = set()
    again = []
    for channel, said, addresses in messages:
        if any((channel, said, address) in seen for address in addresses):
            again.append((channel, said, addresses))
        seen |= {(channel, said, address) for address in addresses}
    return again


def reached(messages: list[Message]) -> Counter:
    return Counter(
        (channel, said, address) for channel, said, addresses in messages for address in addresses
    )


def in_the_window(steps: list[str], at: int, before: bool) -> bool:
    """Whether a kill at this step falls after a provider accepted a message and before
    the ledger recorded it: the one place a duplicate may come from."""
    kind = steps[at - 1]
    return (kind == "send" and not before) or (kind == "record_sent" and before)


def kill_at_every_step(new_world: Callable[[], World], *, outbox: bool = False) -> int:
    """Kill one run at each step in turn, finish with a run after the lease; return how
    many messages went out twice (asserted: at most one per thread for each kill, and
    with one thread exactly when the kill fell in the window). The ``outbox`` mailer and
    texter never write one member's message twice, so there nothing goes out again."""
    clean = new_world()
    counting = Killer()
    clean.run(counting)
    everyone = reached(clean.sent())
    assert set(everyone.values()) == {1} and counting.steps.count("send") >= 2
    duplicates = 0
    for at, before in itertools.product(range(1, len(counting.steps) + 1), (True, False)):
        world = new_world()
        with pytest.raises(Crash):
            world.run(Killer(at, before))
        world.clock.advance(CLAIM_LEASE)  # the dead run's claims run out
        world.run(Killer())
        messages = world.sent()
        where = f"killed {'before' if before else 'after'} step {at} ({counting.steps[at - 1]})"
        assert set(reached(messages)) == set(everyone), f"someone missed, {where}"
        again = duplicated(messages)
        if outbox:
            assert not again, where
        if world.concurrency == 1:
            window = int(in_the_window(counting.steps, at, before))
            assert len(again) <= window if outbox else len(again) == window, where
        else:  # threads take steps in any order: at most one call in flight on each
            assert len(again) <= world.concurrency, where
        assert world.ledger.done_sequences() == {1}, where
        duplicates += len(again)
    return duplicates


# -- the local adapters: SQLite ledger, outbox e-mail and SMS -------------------------


def local_scheme(
    root, clock, numbers: tuple[str, ...], emails: int, texts: int, concurrency: int = 1
) -> Callable[[], World]:
    """Members and a publication of ``numbers``; each world a fresh ledger and outbox."""
    clock.now = NOW + timedelta(minutes=5)
    shelf = LocalBundleShelf(root / "shelf")
    directory = SQLiteMemberDirectory(root / "members.sqlite3")
    for i in range(emails):
        directory.add(member(f"Mail{i}"))
    for i in range(texts):
        directory.add(member(f"Text{i}", channels=("sms",), mobile=f"+44770090010{i}"))
    publish(shelf, [alert(number) for number in numbers])
    count = itertools.count()

    def new_world() -> World:
        here = root / f"run{next(count)}"
        mailer = OutboxMailer(here / "outbox", notice=lambda line: None)
        texter = OutboxTexter(here / "outbox", notice=lambda line: None)

        def sent() -> list[Message]:
            mails = [
                ("email", str(m["Subject"]), frozenset({str(m["To"])})) for m in mailer.messages()
            ]
            return mails + [("sms", text, frozenset({to})) for to, text in texter.messages()]

        ledger = SQLiteNotificationLedger(here / "state.sqlite3")
        feed = PublicationFeed(shelf, VERIFY_KEYS)
        return World(ledger, directory, mailer, texter, feed, clock, sent, concurrency)

    return new_world


@pytest.fixture
def local_worlds(tmp_path, clock) -> Callable[[], World]:
    return local_scheme(tmp_path, clock, ("2026-0008",), emails=5, texts=3)


def test_a_kill_at_any_step_on_the_outbox_duplicates_nothing(local_worlds):
    assert kill_at_every_step(local_worlds, outbox=True) == 0


def test_a_kill_in_every_run_duplicates_at_most_one_message_per_kill(local_worlds, clock):
    # From step 5 on, a run has sent and recorded a message before it dies: each makes way.
    counting = Killer()
    local_worlds().run(counting)
    for at in range(5, len(counting.steps) + 1):
        world, kills = local_worlds(), 0
        for _ in range(20):
            try:
                world.run(Killer(at))
                break
            except Crash:
                kills += 1
                clock.advance(CLAIM_LEASE)
        messages = world.sent()
        assert len(set(reached(messages))) == 8  # 5 by e-mail, 3 by SMS: nobody missed
        assert 1 <= kills < 20 and len(duplicated(messages)) <= kills


def test_with_threads_a_kill_duplicates_at_most_one_message_per_thread(tmp_path, clock):
    # Two alerts, e-mail and SMS: four chunks sent at once on four threads.
    worlds = local_scheme(
        tmp_path, clock, ("2026-0008", "2026-0009"), emails=3, texts=2, concurrency=4
    )
    assert kill_at_every_step(worlds, outbox=True) == 0  # the outbox writes nothing twice


# -- the AWS adapters on moto: DynamoDB ledger, SES v2 (many in Bcc a call), SNS -------

SES_BATCH = 3  # addresses in one SendEmail here (50 in use): 7 members make 3 calls


def ses_sent() -> list[Message]:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses import ses_backends

    messages = []
    for message in ses_backends[DEFAULT_ACCOUNT_ID][AWS_REGION].sent_messages:
        destinations = message.destinations
        addresses = destinations.get("BccAddresses") or destinations.get("ToAddresses")
        messages.append(("email", message.subject, frozenset(addresses)))
    return messages


def sns_sent() -> list[Message]:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.sns import sns_backends

    texts = sns_backends[DEFAULT_ACCOUNT_ID][AWS_REGION].sms_messages.values()
    return [("sms", text, frozenset({to})) for to, text in texts]


@pytest.fixture
def aws_worlds(aws_resources, aws_bundle_shelf, clock) -> Callable[[], World]:
    import boto3

    boto3.client("sesv2").create_email_identity(EmailIdentity=SENDER)
    clock.now = NOW + timedelta(minutes=5)
    directory = DynamoDBMemberDirectory(aws_resources.members_table)
    for i in range(7):
        directory.add(member(f"Mail{i:02d}"))
    for i in range(2):
        directory.add(member(f"Text{i}", channels=("sms",), mobile=f"+44770090010{i}"))
    publish(aws_bundle_shelf, [alert("2026-0008")])
    count = itertools.count()

    def new_world() -> World:
        email_before, sms_before = len(ses_sent()), len(sns_sent())

        def sent() -> list[Message]:
            return ses_sent()[email_before:] + sns_sent()[sms_before:]

        ledger = DynamoDBNotificationLedger(create_notify_ledger_table(f"ledger-{next(count)}"))
        feed = PublicationFeed(aws_bundle_shelf, VERIFY_KEYS)
        mailer, texter = SESMailer(SENDER, client=SESAccount(boto3.client("sesv2"))), SNSTexter()
        mailer.batch_limit = SES_BATCH
        return World(ledger, directory, mailer, texter, feed, clock, sent)

    return new_world


def test_a_kill_at_any_step_on_ses_and_sns_duplicates_at_most_one_call(aws_worlds):
    assert kill_at_every_step(aws_worlds) > 0


def test_one_ses_call_is_recorded_in_one_ledger_write(aws_worlds):
    world, killer = aws_worlds(), Killer()
    world.run(killer)
    sizes = [len(addresses) for channel, _, addresses in world.sent() if channel == "email"]
    assert sizes == [SES_BATCH, SES_BATCH, 1]
    email_steps = killer.steps[: killer.steps.index("mark_done")]
    assert email_steps[:9] == ["save_plan", "save_plan", "claim"] + ["send", "record_sent"] * 3


class CountingDynamoDB:
    """A DynamoDB client that counts the calls made through it, by operation."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.calls = inner, Counter()

    def __getattr__(self, name: str) -> Any:
        self.calls[name] += 1
        return getattr(self.inner, name)


def test_a_full_ses_call_is_recorded_in_one_dynamodb_transaction(mocked_aws):
    import boto3

    client = CountingDynamoDB(boto3.client("dynamodb"))
    ledger = DynamoDBNotificationLedger(create_notify_ledger_table(), client=client)
    keys = [DeliveryKey("2026-0008", "v1", "email", f"m{i:02d}") for i in range(50)]
    ledger.claim(keys, NOW)
    assert ledger.record_limit >= SES_MAX_DESTINATIONS
    client.calls.clear()
    ledger.record_sent(keys, NOW)
    assert client.calls == Counter({"transact_write_items": 1})  # all 50, or none
    states = {d.state for d in ledger.deliveries("2026-0008", "v1").values()}
    assert states == {DeliveryState.SENT}
