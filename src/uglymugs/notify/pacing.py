"""Pacing notify to the account's sending rates, and stopping a run before Lambda does.

SES counts its maximum send rate in **recipients** per second (a ``SendEmail`` to 50
``Bcc`` addresses counts 50) and a daily quota of recipients per 24 hours; both are
read from the account (:mod:`uglymugs.messaging.quota`), never written down here.
SNS exposes no SMS rate through its API, so SMS are paced to a documented conservative
default (:data:`~uglymugs.messaging.quota.DEFAULT_SMS_RATE`) unless
``UGLYMUGS_NOTIFY_SMS_RATE`` says what the account's quota allows.

:class:`TokenBucket` spends one token per recipient; it holds at most one second's
worth, so a run never sends faster than the rate over any second. A throttle from the
provider halves the pace for the rest of the run (:meth:`TokenBucket.slow_down`).

:class:`Deadline` is the time a run has left (the Lambda context's
``get_remaining_time_in_millis``): a run claims a chunk only while it can send that
chunk at the pace and still have :data:`STOP_MARGIN` to spare, so the 15-minute
limit never stops a run with deliveries claimed and unsent.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from uglymugs.messaging.quota import SendingQuota

# What a run keeps in hand when it stops claiming: every chunk it claimed is sent and
# recorded well before Lambda's limit, throttle retries with back-off included.
STOP_MARGIN = timedelta(seconds=90)
# A throttled provider halves the pace; never below this.
SLOWEST_RATE = 0.5
# On AWS the catch-up schedule starts a run every 15 minutes; each sends for up to
# 15 minutes less the margin. Used to say when a long fan-out will be finished.
RUN_EVERY = timedelta(minutes=15)
_EPSILON = 1e-9
# Error codes that say "too fast" (SES v1/v2, SNS).
THROTTLE_CODES = frozenset({"Throttling", "ThrottlingException", "TooManyRequestsException"})
# Error codes that say "no more today" (SES's 24-hour quota).
DAILY_QUOTA_CODES = frozenset({"LimitExceededException"})


class TokenBucket:
    """``rate`` tokens a second, at most ``capacity`` stored; thread-safe.

    ``clock`` (seconds, monotonic) and ``sleep`` are injected so tests control time.
    """

    def __init__(
        self,
        rate: float,
        capacity: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if rate <= 0:
            raise ValueError("a token bucket needs a rate above zero")
        self.rate = rate
        self.capacity = max(capacity if capacity is not None else rate, 1.0)
        self._clock = clock
        self._sleep = sleep
        self._tokens = self.capacity
        self._updated = clock()
        self._lock = threading.Lock()

    def acquire(self, count: int = 1) -> float:
        """Take ``count`` tokens, sleeping until they are there; return the time slept.

        More than the capacity is taken once the bucket is full, leaving it in debt:
        the next callers wait for it, so the average never exceeds the rate."""
        slept = 0.0
        while True:
            with self._lock:
                self._refill()
                need = min(count, self.capacity)
                if self._tokens >= need - _EPSILON:  # a float's rounding is not a token
                    self._tokens -= count
                    return slept
                wait = (need - self._tokens) / self.rate
            self._sleep(wait)
            slept += wait

    def slow_down(self) -> None:
        """Halve the rate (the provider throttled us), and empty the bucket."""
        with self._lock:
            self.rate = max(self.rate / 2, SLOWEST_RATE)
            self.capacity = max(min(self.capacity, self.rate), 1.0)
            self._tokens = 0.0
            self._updated = self._clock()

    def _refill(self) -> None:
        now = self._clock()
        self._tokens = min(self.capacity, self._tokens + (now - self._updated) * self.rate)
        self._updated = now


class Budget:
    """Recipients left in the provider's 24-hour quota for this run; thread-safe."""

    def __init__(self, remaining: int | None) -> None:
        self.remaining = remaining
        self._lock = threading.Lock()

    def take(self, count: int) -> bool:
        """Spend ``count`` if that many are left; False (nothing spent) otherwise."""
        with self._lock:
            if self.remaining is None:
                return True
            if count > self.remaining:
                return False
            self.remaining -= count
            return True

    def exhaust(self) -> None:
        """The provider says the quota is spent, whatever we counted."""
        with self._lock:
            self.remaining = 0


@dataclass
class Pace:
    """One channel's pace for one run: the bucket (None: unpaced) and the daily budget."""

    bucket: TokenBucket | None
    budget: Budget

    @classmethod
    def of(
        cls,
        quota: SendingQuota | None,
        share: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> Pace:
        """The pace for ``share`` of the account's ``quota`` (runs that may send at once
        split it)."""
        if quota is None:
            return cls(None, Budget(None))
        rate = quota.rate * share if quota.rate else None
        bucket = TokenBucket(max(rate, SLOWEST_RATE), clock=clock, sleep=sleep) if rate else None
        remaining = math.floor(quota.remaining * share) if quota.remaining is not None else None
        return cls(bucket, Budget(remaining))

    @property
    def rate(self) -> float | None:
        return self.bucket.rate if self.bucket is not None else None

    def seconds_for(self, recipients: int) -> float:
        """How long ``recipients`` take at this pace (0 when unpaced)."""
        return recipients / self.bucket.rate if self.bucket is not None else 0.0

    def acquire(self, recipients: int) -> None:
        if self.bucket is not None:
            self.bucket.acquire(recipients)


class Deadline:
    """The time a run has left, from a Lambda context (None: no limit, as locally)."""

    def __init__(self, context: Any = None, margin: timedelta = STOP_MARGIN) -> None:
        self._remaining = getattr(context, "get_remaining_time_in_millis", None)
        self.margin = margin.total_seconds()
        self.reached = False

    def remaining(self) -> float | None:
        """Seconds left, or None without a limit."""
        return self._remaining() / 1000 if self._remaining is not None else None

    def allows(self, seconds: float) -> bool:
        """Whether work of ``seconds`` fits with the margin to spare; once it does not,
        it never does again in this run (so no later, smaller chunk sneaks in)."""
        if self.reached:
            return False
        left = self.remaining()
        if left is not None and left - seconds < self.margin:
            self.reached = True
        return not self.reached


def expected_finish(
    now: datetime,
    left: Mapping[str, int],
    paces: Mapping[str, SendingQuota | None],
    share: float = 1.0,
    on_lambda: bool = False,
) -> datetime | None:
    """When deliveries ``left`` (by channel) will be sent at the accounts' pace.

    Channels are sent side by side, so the slower one decides. On Lambda a run sends
    for :data:`RUN_EVERY` less :data:`STOP_MARGIN` of every :data:`RUN_EVERY`. A
    channel over its daily quota finishes after the quota frees up, 24 hours on. None
    when the pace is not known."""
    seconds = 0.0
    for channel, count in left.items():
        if not count:
            continue
        quota = paces.get(channel)
        if quota is None or not quota.rate:
            continue  # unpaced: as fast as the run goes
        wait = 0.0
        if quota.remaining is not None and count > quota.remaining * share:
            wait = timedelta(hours=24).total_seconds()
        seconds = max(seconds, wait + count / (quota.rate * share))
    if on_lambda and seconds:
        sending = (RUN_EVERY - STOP_MARGIN).total_seconds()
        seconds *= RUN_EVERY.total_seconds() / sending
    return now + timedelta(seconds=seconds)
