"""Log-in timing tells nothing: an unknown login costs what a wrong password costs.

The hostile review timed log-ins for unknown users against wrong passwords and found
them equal; this keeps it so. With no stored hash, :meth:`PasswordHasher.verify`
hashes the typed password with the same Argon2id parameters, so the two take the same
time. CPU time (not wall time) is compared, medians of a few runs, with a generous
bound: the gap it guards against is a whole Argon2id run against almost nothing.
"""

from __future__ import annotations

import statistics
import time

import pytest

from uglymugs.members.passwords import PasswordHasher

pytestmark = pytest.mark.attack("login timing")

RUNS = 3


def median_cpu_seconds(action) -> float:
    timings = []
    for _ in range(RUNS):
        start = time.process_time()
        action()
        timings.append(time.process_time() - start)
    return statistics.median(timings)


def test_an_unknown_login_takes_as_long_as_a_wrong_password():
    hasher = PasswordHasher()  # the deployed parameters: the cost is the point
    stored = hasher.hash("the member's real passphrase")
    wrong = median_cpu_seconds(lambda: hasher.verify(stored, "a wrong passphrase"))
    unknown = median_cpu_seconds(lambda: hasher.verify(None, "a wrong passphrase"))
    assert hasher.verify(None, "anything") is False
    assert 0.5 < unknown / wrong < 2.0, f"unknown {unknown:.3f} s, wrong password {wrong:.3f} s"
