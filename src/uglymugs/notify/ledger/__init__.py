"""The notification ledger: who was sent which version of which alert, on which channel.

Exactly once per (alert, version, member, channel): before anything is sent, the
delivery is **claimed** with a conditional write, so of two runs (a retry, a second
publish, a re-run after a crash) only one sends it. A claim is a lease: if the sender
dies before it records the outcome, the claim can be taken again once the lease has
run out, so nobody is missed. The one case that can send twice is a crash in the
instant after the provider accepted a message and before ``record_sent`` — we chose
a rare duplicate over a missed warning. Each message (or each atomic provider call,
such as one SES ``SendEmail``) is recorded in one write straight after it is accepted,
so that window holds one message per sending thread.

A claim held by a run that died stays until its lease runs out. :func:`held_counts`
says how many there are and until when, and which are **overdue**
(:func:`overdue`): held longer than a live run ever holds a claim. Staff who know the
holder is dead end those leases at once with :meth:`NotificationLedger.release`
(``uglymugs notify --take-over``).

Adapters: :mod:`uglymugs.notify.ledger.sqlite` (local) and
:mod:`uglymugs.notify.ledger.dynamodb` (AWS, conditional transactional writes).
Nothing here holds an address, a phone number or message text: members by id only.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, NamedTuple, Protocol

# A claim older than this is taken to be from a sender that died (Lambda's longest run
# is 15 minutes).
CLAIM_LEASE = timedelta(minutes=16)
# A live run records a claimed chunk (at most 50 e-mails or 25 SMS, each recorded as
# soon as it is sent) within seconds, two minutes if every call is retried with
# back-off: a claim older than this is taken to be held by a run that died or hangs.
CLAIM_OVERDUE = timedelta(minutes=5)
# After this many attempts a delivery is given up and shown to staff as failed.
MAX_ATTEMPTS = 5
# How long ledger entries are kept (DynamoDB TTL): long enough to answer "was this
# member told?" for a year.
LEDGER_RETENTION = timedelta(days=400)


class DeliveryState(StrEnum):
    SENDING = "sending"  # claimed; the outcome is not recorded yet
    SENT = "sent"
    FAILED = "failed"  # will be tried again from next_attempt
    GAVE_UP = "gave_up"  # failed for good (permanent error or too many attempts)


class Channel(StrEnum):
    EMAIL = "email"
    SMS = "sms"


class DeliveryKey(NamedTuple):
    """One message: an alert version to a member on a channel.

    A named tuple (it was a frozen dataclass): a fan-out hashes tens of thousands of
    keys, and a tuple's hash is computed in C."""

    alert: str
    version: str
    channel: str
    member_id: str


@dataclass(frozen=True)
class Delivery:
    key: DeliveryKey
    state: DeliveryState
    attempts: int
    updated_at: datetime
    lease_until: datetime | None = None
    next_attempt: datetime | None = None
    error: str | None = None  # a short error code, never message text or an address

    def settled(self) -> bool:
        """Nothing more will be done for this delivery."""
        return self.state in (DeliveryState.SENT, DeliveryState.GAVE_UP)


@dataclass(frozen=True)
class Plan:
    """How many members one alert version was due to reach on one channel."""

    alert: str
    version: str
    channel: str
    kind: str
    sequence: int
    recipients: int  # members to send to
    skipped: int  # members whose channel is failing (bounces, opt-out): not sent
    updated_at: datetime


@dataclass(frozen=True)
class ChannelCounts:
    """What ``uglymugs notify status`` shows for one alert version on one channel."""

    alert: str
    version: str
    kind: str
    channel: str
    recipients: int
    sent: int
    failed: int  # given up, plus members skipped because the channel is failing
    retrying: int  # failed for now, will be tried again
    pending: int  # due but not started yet
    held: int = 0  # claimed by a run that has not recorded the outcome yet


@dataclass(frozen=True)
class Held:
    """Deliveries claimed by a run that has not recorded their outcome. Never who."""

    count: int = 0
    overdue: int = 0  # held longer than a live run holds a claim (see :func:`overdue`)
    since: datetime | None = None  # the oldest of these claims
    until: datetime | None = None  # when the last of their leases runs out

    def __add__(self, other: Held) -> Held:
        return Held(
            self.count + other.count,
            self.overdue + other.overdue,
            _earliest(self.since, other.since),
            _latest(self.until, other.until),
        )


class NotificationLedger(Protocol):
    """Claims and outcomes of deliveries, plans, and which publications are done."""

    # The most keys :meth:`record_sent` writes in one atomic write: a batch sent in one
    # provider call is recorded all at once or not at all.
    record_limit: int

    def deliveries(self, alert: str, version: str) -> dict[DeliveryKey, Delivery]:
        """Every delivery recorded for one alert version."""
        ...

    def claim(
        self, keys: Sequence[DeliveryKey], now: datetime, lease: timedelta = CLAIM_LEASE
    ) -> list[DeliveryKey]:
        """Claim the deliveries that may be sent now, atomically each; return those.

        A key may be claimed if it is absent, failed with its next attempt due, or
        claimed by a sender whose lease has run out. Sent and given-up keys never are.
        """
        ...

    def record_sent(self, keys: Iterable[DeliveryKey], now: datetime) -> None:
        """Record deliveries sent: up to :attr:`record_limit` keys in one atomic write."""
        ...

    def record_failed(
        self, keys: Iterable[DeliveryKey], now: datetime, error: str, retry_at: datetime | None
    ) -> None:
        """Record a failed attempt: retried from ``retry_at``, or given up when None."""
        ...

    def release(self, alert: str, version: str, now: datetime) -> int:
        """End at ``now`` the lease of every claimed (``sending``) delivery of one alert
        version, so they can be claimed at once; return how many. Only for staff who
        know the run holding them is dead (``uglymugs notify --take-over``)."""
        ...

    def save_plan(self, plan: Plan) -> None:
        """Store (or replace) the plan of one alert version on one channel."""
        ...

    def plans(self, alert: str | None = None) -> list[Plan]:
        """Plans of one alert, or of every alert, oldest first."""
        ...

    def mark_done(self, sequence: int, now: datetime) -> None:
        """Every delivery of publication ``sequence`` is settled."""
        ...

    def done_sequences(self) -> set[int]: ...

    def forget_member(self, member_id: str) -> int:
        """Delete every delivery row of a member (a closed account); return how many."""
        ...

    def member_records(self, member_id: str) -> list[dict[str, Any]]:
        """What was sent to a member, for their data download: alert, version, channel,
        state, attempts and when."""
        ...


def retry_delay(attempts: int) -> timedelta:
    """Back-off between runs: 5, 10, 20, 40 minutes… after the 1st, 2nd, 3rd… attempt."""
    return timedelta(minutes=5 * 2 ** max(attempts - 1, 0))


def claimable(delivery: Delivery | None, now: datetime) -> bool:
    """Whether a delivery in this state may be claimed at ``now`` (the adapters' rule)."""
    if delivery is None:
        return True
    if delivery.state == DeliveryState.FAILED:
        return delivery.next_attempt is None or delivery.next_attempt <= now
    if delivery.state == DeliveryState.SENDING:
        return delivery.lease_until is None or delivery.lease_until <= now
    return False


def overdue(delivery: Delivery, now: datetime) -> bool:
    """Whether a claimed delivery is held past its expected time: its lease has run out
    and nobody took it over, or it was claimed more than :data:`CLAIM_OVERDUE` ago."""
    if delivery.state != DeliveryState.SENDING:
        return False
    lease_over = delivery.lease_until is None or delivery.lease_until <= now
    return lease_over or delivery.updated_at + CLAIM_OVERDUE <= now


def held_counts(deliveries: Iterable[Delivery], now: datetime) -> Held:
    """How many of ``deliveries`` are claimed and not recorded, since and until when."""
    claimed = [d for d in deliveries if d.state == DeliveryState.SENDING]
    if not claimed:
        return Held()
    leases = [d.lease_until for d in claimed if d.lease_until is not None]
    return Held(
        count=len(claimed),
        overdue=sum(overdue(d, now) for d in claimed),
        since=min(d.updated_at for d in claimed),  # a claim stamps updated_at
        until=max(leases) if leases else None,
    )


def count_channel(plan: Plan, deliveries: Iterable[Delivery]) -> ChannelCounts:
    """Counts for one plan from the deliveries of its alert version."""
    states = [d.state for d in deliveries if d.key.channel == plan.channel]
    sent = states.count(DeliveryState.SENT)
    gave_up = states.count(DeliveryState.GAVE_UP)
    retrying = states.count(DeliveryState.FAILED)
    held = states.count(DeliveryState.SENDING)
    return ChannelCounts(
        alert=plan.alert,
        version=plan.version,
        kind=plan.kind,
        channel=plan.channel,
        recipients=plan.recipients + plan.skipped,
        sent=sent,
        failed=gave_up + plan.skipped,
        retrying=retrying,
        pending=max(plan.recipients - sent - gave_up - retrying - held, 0),
        held=held,
    )


def _earliest(a: datetime | None, b: datetime | None) -> datetime | None:
    return min(a, b) if a is not None and b is not None else a or b


def _latest(a: datetime | None, b: datetime | None) -> datetime | None:
    return max(a, b) if a is not None and b is not None else a or b


def delivery_record(
    alert: str, version: str, channel: str, state: str, attempts: int, updated: datetime
) -> dict[str, Any]:
    """One delivery as a member's data download shows it."""
    return {
        "alert": alert,
        "version": version,
        "channel": channel,
        "state": state,
        "attempts": attempts,
        "updated_at": updated.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
