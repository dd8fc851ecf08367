"""The six-monthly mobile number reminder: due once per period, sent once and never
twice (retries, crashes, two runs), in the member's language; confirming starts the
next period. Over both ledgers (SQLite, DynamoDB on moto)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.conftest import FakeClock
from tests.notify.scenario import NOW, SITE_URL, member
from uglymugs.members.directory import timestamp
from uglymugs.members.directory.sqlite import SQLiteMemberDirectory
from uglymugs.members.mobile_numbers import REMINDER_INTERVAL, reminder_period
from uglymugs.notify.events import handle_event
from uglymugs.notify.ledger import CLAIM_LEASE
from uglymugs.notify.mobile_reminders import REMINDER, MobileReminders

JOINED = "2026-05-01T10:00:00Z"  # 206 days before NOW: the first period is due


class Texts:
    """A texter that records what it sent; ``crash`` makes the next send die after the
    provider took the text (the window between sending and recording)."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []
        self.crash = False
        self.refuse = 0

    def send(self, to: str, text: str) -> None:
        if self.refuse:
            self.refuse -= 1
            raise ConnectionError("provider down")
        self.sent.append((to, text))
        if self.crash:
            self.crash = False
            raise KeyboardInterrupt  # the process dies: nothing after this runs

    def opted_out(self) -> frozenset[str]:
        return frozenset()


@pytest.fixture
def directory(tmp_path):
    return SQLiteMemberDirectory(tmp_path / "members.sqlite3")


@pytest.fixture
def clock():
    return FakeClock(NOW)


def sms_member(username="Texted", mobile="+447700900001", **changes):
    return member(
        username,
        channels=("email", "sms"),
        mobile=mobile,
        created_at=JOINED,
        updated_at=JOINED,
        **changes,
    )


def reminders(notify_ledger, directory, texts, clock):
    return MobileReminders(notify_ledger, directory, texts, SITE_URL, clock)


def test_a_reminder_is_due_six_months_after_joining_or_confirming(clock):
    texted = sms_member()
    assert reminder_period(texted, NOW) == f"{JOINED}+1"
    assert reminder_period(texted, NOW + REMINDER_INTERVAL) == f"{JOINED}+2"
    confirmed = texted.changed(NOW, mobile_confirmed_at=timestamp(NOW))
    assert reminder_period(confirmed, NOW + timedelta(days=100)) is None
    assert reminder_period(confirmed, NOW + REMINDER_INTERVAL) == f"{timestamp(NOW)}+1"
    assert reminder_period(member("NoSms", mobile="+447700900002", created_at=JOINED), NOW) is None
    assert reminder_period(sms_member(status="suspended"), NOW) is None


def test_a_reminder_is_sent_once_per_period_and_never_twice(notify_ledger, directory, clock):
    directory.add(sms_member())
    directory.add(member("EmailOnly", created_at=JOINED))
    texts = Texts()
    run = reminders(notify_ledger, directory, texts, clock)
    assert run.send_due()["sent"] == 1
    assert [to for to, _ in texts.sent] == ["+447700900001"]
    # Retries, later runs in the same period: nothing more.
    for _ in range(3):
        clock.advance(timedelta(days=30))
        again = run.send_due()
        assert again["sent"] == 0 and again["already_sent"] == 1
    assert len(texts.sent) == 1
    # The next period: one more.
    clock.advance(REMINDER_INTERVAL)
    assert run.send_due()["sent"] == 1
    assert len(texts.sent) == 2


def test_a_crash_after_the_provider_took_the_text_never_sends_it_again(
    notify_ledger, directory, clock
):
    directory.add(sms_member())
    texts = Texts()
    texts.crash = True
    with pytest.raises(KeyboardInterrupt):
        reminders(notify_ledger, directory, texts, clock).send_due()
    assert len(texts.sent) == 1
    # Long after an alert's claim would have been taken over, still never again.
    for step in (CLAIM_LEASE * 2, timedelta(days=10), timedelta(days=100)):
        clock.advance(step)
        assert reminders(notify_ledger, directory, texts, clock).send_due()["sent"] == 0
    assert len(texts.sent) == 1


def test_a_refused_text_is_tried_again_by_a_later_run_and_sent_once(
    notify_ledger, directory, clock
):
    directory.add(sms_member())
    texts = Texts()
    texts.refuse = 1
    run = reminders(notify_ledger, directory, texts, clock)
    assert run.send_due()["failed"] == 1 and texts.sent == []
    assert run.send_due()["sent"] == 0  # not yet: it waits before trying again
    clock.advance(timedelta(minutes=10))
    assert run.send_due()["sent"] == 1
    clock.advance(timedelta(minutes=10))
    assert run.send_due()["sent"] == 0
    assert len(texts.sent) == 1


def test_two_runs_at_once_send_one_text(local_notify_ledger, directory, clock):
    """SQLite here: moto's DynamoDB does not serialise concurrent conditional writes
    (the ledgers' own contract tests cover the claim on both)."""
    from concurrent.futures import ThreadPoolExecutor

    notify_ledger = local_notify_ledger
    directory.add(sms_member())
    texts = Texts()
    with ThreadPoolExecutor(4) as pool:
        runs = [
            pool.submit(reminders(notify_ledger, directory, texts, clock).send_due)
            for _ in range(4)
        ]
        sent = sum(run.result()["sent"] for run in runs)
    assert sent == 1 and len(texts.sent) == 1


def test_the_reminder_is_in_the_members_language_and_links_their_member_area(
    notify_ledger, directory, clock
):
    directory.add(sms_member(language="pl"))
    directory.add(sms_member("Quiet", mobile="+447700900003", discreet=True))
    texts = Texts()
    reminders(notify_ledger, directory, texts, clock).send_due()
    by_number = dict(texts.sent)
    polish = by_number["+447700900001"]
    assert f"{SITE_URL}/pl/members/#mobile-section" in polish
    assert "Ugly Mugs" not in by_number["+447700900003"]  # discreet: no scheme name
    assert "Ugly Mugs" in polish and "number for safety alerts" not in polish


def test_the_ledger_names_the_period_and_the_member_only(notify_ledger, directory, clock):
    texted = sms_member()
    directory.add(texted)
    reminders(notify_ledger, directory, Texts(), clock).send_due()
    (delivery,) = notify_ledger.deliveries(REMINDER, f"{JOINED}+1").values()
    assert delivery.key.member_id == texted.id and delivery.state == "sent"


def test_the_schedule_sends_reminders_and_a_publish_event_does_not(
    local_notify_ledger, directory, clock, tmp_path, local_bundle_shelf
):
    from tests.notify.scenario import VERIFY_KEYS
    from uglymugs.notify.publications import PublicationFeed
    from uglymugs.notify.services import NotifyServices

    directory.add(sms_member())
    texts = Texts()
    services = NotifyServices(
        ledger=local_notify_ledger,
        directory=directory,
        mailer=None,  # type: ignore[arg-type] - nothing is published: no e-mail
        texter=texts,  # type: ignore[arg-type]
        feed=PublicationFeed(local_bundle_shelf, VERIFY_KEYS),
        site_url=SITE_URL,
        clock=clock,
        send_mobile_reminders=True,
    )
    assert handle_event({"sequence": 1}, services)["mobile_reminders"] == {}
    assert texts.sent == []
    summary = handle_event({"catch_up": True}, services)
    assert summary["mobile_reminders"]["sent"] == 1 and len(texts.sent) == 1
    off = NotifyServices(**{**services.__dict__, "send_mobile_reminders": False})
    clock.advance(REMINDER_INTERVAL)
    assert handle_event({"catch_up": True}, off)["mobile_reminders"] == {}
