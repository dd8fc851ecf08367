"""The daily e-mail to staff about member applications: counts only, once a day.

Local adapters throughout (SQLite directory and ledger, the outbox for e-mail).
"""

from __future__ import annotations

from datetime import timedelta
from email import policy
from email.parser import BytesParser

import pytest

from tests.notify.scenario import NOW, member
from uglymugs.members.directory.sqlite import SQLiteMemberDirectory
from uglymugs.messaging.mailer.outbox import OutboxMailer
from uglymugs.notify.ledger.sqlite import SQLiteNotificationLedger
from uglymugs.notify.staff_digest import send_applications_digest

STAFF = "team@scheme.example"


class Scheme:
    def __init__(self, tmp_path) -> None:
        db = tmp_path / "state.sqlite3"
        self.directory = SQLiteMemberDirectory(db)
        self.ledger = SQLiteNotificationLedger(db)
        self.outbox_dir = tmp_path / "outbox"
        self.mailer = OutboxMailer(self.outbox_dir, notice=lambda _: None)

    def apply(self, username: str, at) -> None:
        stamp = at.isoformat().replace("+00:00", "Z")
        self.directory.add(
            member(
                username,
                status="pending",
                created_at=stamp,
                organisation="Canary Project 4471",
                mobile="+447700900555",
            )
        )

    def digest(self, now=NOW, to=STAFF) -> int:
        return send_applications_digest(self.directory, self.mailer, self.ledger, to, now)

    def messages(self):
        return [
            BytesParser(policy=policy.default).parsebytes(path.read_bytes())
            for path in sorted(self.outbox_dir.glob("*.eml"))
        ]


@pytest.fixture
def scheme(tmp_path) -> Scheme:
    return Scheme(tmp_path)


def test_the_digest_holds_counts_and_no_applicants_details(scheme):
    scheme.apply("CanaryRosie", NOW - timedelta(hours=3))
    scheme.apply("CanaryDawn", NOW - timedelta(hours=20))
    scheme.apply("OldApplicant", NOW - timedelta(days=3))
    scheme.directory.add(member("Approved", created_at="2026-11-23T09:00:00Z"))
    assert scheme.digest() == 2  # the two of the last day (none was sent before)
    [message] = scheme.messages()
    assert message["To"] == STAFF
    body = message.get_content()
    assert "since the last of these messages: 2." in body and "waiting for approval: 3." in body
    whole = message.as_string()
    for secret in ("Canary", "Rosie", "OldApplicant", "example.org", "4471", "900555"):
        assert secret not in whole


def test_it_goes_once_a_day_however_often_notify_runs(scheme):
    scheme.apply("Rosie", NOW - timedelta(hours=1))
    assert scheme.digest() == 1
    scheme.apply("Dawn", NOW + timedelta(minutes=1))
    assert [scheme.digest(NOW + timedelta(minutes=15 * i)) for i in range(1, 4)] == [0, 0, 0]
    assert len(scheme.messages()) == 1
    tomorrow = NOW.replace(hour=0, minute=5) + timedelta(days=1)
    assert scheme.digest(tomorrow) == 1  # Dawn, who applied after the last message
    assert len(scheme.messages()) == 2


def test_nothing_is_sent_without_news_or_without_an_address(scheme):
    assert scheme.digest() == 0
    scheme.apply("Rosie", NOW - timedelta(days=2))
    assert scheme.digest() == 0  # waiting, but not new: the console's count shows it
    scheme.apply("Dawn", NOW)
    assert scheme.digest(to=None) == 0 and scheme.digest(to="") == 0
    assert scheme.messages() == []


def test_a_failed_send_is_recorded_and_tried_again_later(scheme):
    class DownMailer:
        batch_limit = 1

        def send(self, *args, **kwargs):
            raise ConnectionError("provider down")

    scheme.apply("Rosie", NOW)
    with pytest.raises(ConnectionError):
        send_applications_digest(scheme.directory, DownMailer(), scheme.ledger, STAFF, NOW)
    assert scheme.digest(NOW + timedelta(hours=2)) == 1
    assert len(scheme.messages()) == 1
