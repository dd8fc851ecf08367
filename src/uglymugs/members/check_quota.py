"""The identifier-check quota: at most 30 answered checks per member in 10 minutes.

Only checks that were answered count (issue 12): a check refused for its value (422)
or for the quota itself (429) gives its place back. Each check first claims a place
atomically (the store's counter returns the new count), then gives it back if it is
refused, so concurrent checks can never take more than 30 answers between them.

>>> with quota.answered(member.id):  # doctest: +SKIP
...     matches = published.check("phone", "07700 900123")
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from uglymugs.members.counter_keys import CounterKeys
from uglymugs.members.directory import SessionStore
from uglymugs.web.errors import ApiError, ErrorCode

CHECKS_ALLOWED = 30
CHECK_WINDOW = timedelta(minutes=10)


@dataclass(frozen=True)
class CheckQuota:
    """Counts a member's answered checks in fixed 10-minute windows."""

    store: SessionStore
    keys: CounterKeys
    clock: Callable[[], datetime]

    @contextlib.contextmanager
    def answered(self, member_id: str) -> Iterator[None]:
        """Claim a check; it stays counted only if the block ends without an exception."""
        key, now = self.keys.key("check", member_id), self.clock()
        hits = self.store.add_hit(key, CHECK_WINDOW, now)
        try:
            if hits.count > CHECKS_ALLOWED:
                seconds = max(1, int((hits.window_ends - now).total_seconds()))
                raise ApiError(
                    429,
                    ErrorCode.RATE_LIMITED,
                    f"you have made {CHECKS_ALLOWED} checks in 10 minutes; try again in "
                    f"{(seconds + 59) // 60} minutes",
                    headers={"Retry-After": str(seconds)},
                )
            yield
        except BaseException:
            self.store.remove_hit(key, CHECK_WINDOW, now)
            raise
