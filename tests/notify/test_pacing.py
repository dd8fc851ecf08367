"""The pacer: a token bucket on an injected clock, the daily budget, the deadline, and
when a fan-out left will be finished."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from uglymugs.messaging.quota import SendingQuota, ses_quota
from uglymugs.notify.pacing import (
    RUN_EVERY,
    SLOWEST_RATE,
    STOP_MARGIN,
    Budget,
    Deadline,
    Pace,
    TokenBucket,
    expected_finish,
)

NOW = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)


class FakeTime:
    """A monotonic clock that moves only when something sleeps."""

    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []
        self._lock = threading.Lock()

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.slept.append(seconds)
            self.now += seconds


class LambdaContext:
    """A Lambda context whose remaining time follows ``time``, from ``budget`` seconds."""

    def __init__(self, time: FakeTime, budget: float) -> None:
        self.time, self.ends = time, time() + budget

    def get_remaining_time_in_millis(self) -> int:
        return max(int((self.ends - self.time()) * 1000), 0)


def test_a_full_bucket_sends_one_seconds_worth_at_once_then_waits():
    time = FakeTime()
    bucket = TokenBucket(14, clock=time, sleep=time.sleep)
    for _ in range(14):
        assert bucket.acquire() == 0
    assert bucket.acquire() == pytest.approx(1 / 14)
    assert time.now == pytest.approx(100 + 1 / 14)


def test_over_any_stretch_the_pace_is_the_rate_with_at_most_one_seconds_burst():
    time = FakeTime()
    bucket = TokenBucket(10, clock=time, sleep=time.sleep)
    sends = []
    for _ in range(200):
        bucket.acquire(3)
        sends.append(time())
    for window in (1, 10, 30):
        for start in sends:
            within = [t for t in sends if start <= t < start + window]
            # SES: "you can exceed this quota for short bursts, but not for a sustained
            # period": one second's worth (the capacity) on top of the rate, no more.
            assert 3 * len(within) <= 10 * window + bucket.capacity
    assert 3 * len(sends) / (sends[-1] - sends[0]) <= 10 * 1.02


def test_taking_more_than_the_capacity_leaves_a_debt_the_next_caller_waits_for():
    time = FakeTime()
    bucket = TokenBucket(5, clock=time, sleep=time.sleep)
    assert bucket.acquire(15) == 0  # the bucket was full: taken, 10 owed
    assert bucket.acquire(1) == pytest.approx(11 / 5)


def test_idle_time_fills_the_bucket_only_to_its_capacity():
    time = FakeTime()
    bucket = TokenBucket(2, clock=time, sleep=time.sleep)
    time.now += 3600
    assert bucket.acquire(2) == 0
    assert bucket.acquire(1) == pytest.approx(0.5)


def test_a_throttle_halves_the_rate_and_empties_the_bucket():
    time = FakeTime()
    bucket = TokenBucket(8, clock=time, sleep=time.sleep)
    bucket.slow_down()
    assert bucket.rate == 4
    assert bucket.acquire() == pytest.approx(1 / 4)
    for _ in range(10):
        bucket.slow_down()
    assert bucket.rate == SLOWEST_RATE


def test_threads_share_one_bucket():
    time = FakeTime()
    bucket = TokenBucket(50, clock=time, sleep=time.sleep)
    threads = [
        threading.Thread(target=lambda: [bucket.acquire() for _ in range(25)]) for _ in range(4)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # 100 tokens: the first 50 were in the bucket, the other 50 took one more second.
    assert time.now - 100 >= 1.0 - 1e-6  # never faster than the rate, whatever the threads


def test_a_bucket_needs_a_rate():
    with pytest.raises(ValueError, match="rate above zero"):
        TokenBucket(0)


def test_the_quota_comes_from_ses_get_account():
    account = {"SendQuota": {"MaxSendRate": 14.0, "Max24HourSend": 50000.0, "SentLast24Hours": 200}}
    assert ses_quota(account) == SendingQuota(14.0, 49800)
    unlimited = {"SendQuota": {"MaxSendRate": 200.0, "Max24HourSend": -1.0}}
    assert ses_quota(unlimited) == SendingQuota(200.0, None)
    assert ses_quota({}) == SendingQuota(None, None)


def test_a_pace_takes_its_share_of_the_rate_and_the_day():
    time = FakeTime()
    pace = Pace.of(SendingQuota(14.0, 1000), share=0.5, clock=time, sleep=time.sleep)
    assert pace.rate == 7
    assert pace.budget.remaining == 500
    assert pace.seconds_for(70) == pytest.approx(10)
    unpaced = Pace.of(None)
    assert unpaced.rate is None and unpaced.seconds_for(10**6) == 0
    unpaced.acquire(10**6)  # never waits


def test_the_budget_spends_only_what_is_left():
    budget = Budget(120)
    assert budget.take(50) and budget.take(50)
    assert not budget.take(50)  # 20 left: nothing spent
    assert budget.take(20) and budget.remaining == 0
    budget = Budget(None)
    assert budget.take(10**9)
    budget = Budget(1000)
    budget.exhaust()
    assert not budget.take(1)


def test_the_deadline_stops_claiming_with_the_margin_to_spare_and_stays_stopped():
    time = FakeTime()
    deadline = Deadline(LambdaContext(time, budget=900))
    assert deadline.remaining() == 900
    assert deadline.allows(900 - STOP_MARGIN.total_seconds())
    time.now += 600
    assert not deadline.allows(300 - STOP_MARGIN.total_seconds() + 1)
    assert deadline.reached
    assert not deadline.allows(0)  # once stopped, a smaller chunk does not sneak in


def test_without_a_context_there_is_no_deadline():
    deadline = Deadline()
    assert deadline.remaining() is None
    assert deadline.allows(10**9) and not deadline.reached


def test_the_expected_finish_is_the_slower_channel_at_its_pace():
    paces = {"email": SendingQuota(14.0, None), "sms": SendingQuota(10.0)}
    finish = expected_finish(NOW, {"email": 70_000, "sms": 14_000}, paces)
    assert finish == NOW + timedelta(seconds=5000)
    assert expected_finish(NOW, {"email": 0, "sms": 0}, paces) == NOW


def test_on_lambda_the_gaps_between_runs_count_and_a_spent_day_waits_for_tomorrow():
    paces = {"email": SendingQuota(10.0, 100)}
    finish = expected_finish(NOW, {"email": 600}, paces, on_lambda=True)
    sending = (RUN_EVERY - STOP_MARGIN).total_seconds()
    assert finish == NOW + timedelta(days=1, seconds=60) * (RUN_EVERY.total_seconds() / sending)
    assert expected_finish(NOW, {"email": 600}, {"email": None}) == NOW  # unpaced: at once
