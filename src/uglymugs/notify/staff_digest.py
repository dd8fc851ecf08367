"""The daily e-mail that tells staff people applied to join: counts only.

Applicants wait for approval until someone looks at the console's Members page; this
optional mail (``staff_digest_email``) makes sure someone does. It says how many
applications arrived in the last day and how many are waiting, and nothing else: no
name, username, address, organisation or answer, because a staff inbox is read on
phones and forwarded, and a list of who applied to an Ugly Mugs scheme is itself
sensitive.

Each application is counted as new in one message only (those since the last one
sent). It goes at most once per UTC day, however often notify runs (every 15 minutes on
AWS): the day's message is claimed in the notification ledger like any delivery, so
two runs at once, or a run retried, send it once. A day with no new application
sends nothing.

>>> send_applications_digest(services, "staff@example.org")  # doctest: +SKIP
2
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from uglymugs.members.directory import MemberDirectory
from uglymugs.messaging.mailer import Mailer
from uglymugs.notify.ledger import DeliveryKey, NotificationLedger, retry_delay

DIGEST = "staff-digest"  # the ledger's "alert" for these messages
RECIPIENT = "staff"  # the ledger's member id: the staff address is not stored there
WINDOW = timedelta(days=1)
SUBJECT = "Member applications waiting"


def digest_text(new: int, waiting: int) -> str:
    """The message: two counts and where to look (never who applied)."""
    return (
        f"New member applications since the last of these messages: {new}.\n"
        f"Applications waiting for approval: {waiting}.\n\n"
        "Open the staff console's Members page (uglymugs staff) to approve or reject them.\n"
        "This message holds no applicant's details on purpose.\n"
    )


def application_counts(directory: MemberDirectory, since: datetime) -> tuple[int, int]:
    """Pending applications that arrived after ``since``, and all pending ones."""
    pending = [member for member in directory.members() if member.status == "pending"]
    new = sum(1 for member in pending if _parsed(member.created_at) > since)
    return new, len(pending)


def last_sent(ledger: NotificationLedger, now: datetime) -> datetime:
    """When the last digest went (looking back a week), else :data:`WINDOW` ago: each
    application is told of once."""
    for days_back in range(1, 8):
        day = (now - timedelta(days=days_back)).date().isoformat()
        sent = [d.updated_at for d in ledger.deliveries(DIGEST, day).values() if d.settled()]
        if sent:
            return max(sent)
    return now - WINDOW


def send_applications_digest(
    directory: MemberDirectory,
    mailer: Mailer,
    ledger: NotificationLedger,
    to: str | None,
    now: datetime,
) -> int:
    """Send today's digest to ``to`` if there is news and it was not sent today; how many
    new applications it told of (0: nothing sent)."""
    if not to:
        return 0
    new, waiting = application_counts(directory, last_sent(ledger, now))
    if not new:
        return 0
    key = DeliveryKey(DIGEST, now.date().isoformat(), "email", RECIPIENT)
    if not ledger.claim([key], now):
        return 0  # sent today already, or another run is sending it
    try:
        mailer.send(to, SUBJECT, digest_text(new, waiting))
    except Exception:
        ledger.record_failed([key], now, "send_failed", now + retry_delay(1))
        raise
    ledger.record_sent([key], now)
    return new


def _parsed(stamp: str) -> datetime:
    moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
