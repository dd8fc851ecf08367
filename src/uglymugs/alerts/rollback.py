"""The rollback rule: a validly signed bundle or manifest older than one already trusted
is refused.

A signature proves who published something, not that it is the latest: whoever can
serve files (the shelf, a proxy, a compromised function) can replay an older signed
set and bring a withdrawn alert back. Every reader that has seen a sequence keeps it
and refuses anything with a lower sequence or an earlier generation time. The member
area applies the same rule in the browser (``member-area.mjs``).

>>> seen = Freshness(42, "2026-11-23T10:00:00Z")
>>> is_older(Freshness(41, "2026-11-22T10:00:00Z"), seen)
True
>>> is_older(Freshness(42, "2026-11-23T10:00:00Z"), seen)
False
"""

from __future__ import annotations

from dataclasses import dataclass


class RollbackError(Exception):
    """Correctly signed, but older than something already trusted: possibly a replay."""


@dataclass(frozen=True)
class Freshness:
    """A publish's place in time: its sequence and ``generated_at`` (UTC, to the second).

    ``generated_at`` is always ``YYYY-MM-DDTHH:MM:SSZ``, so comparing the strings
    compares the times.
    """

    sequence: int
    generated_at: str

    def __str__(self) -> str:
        return f"sequence {self.sequence} ({self.generated_at})"


def is_older(candidate: Freshness, seen: Freshness) -> bool:
    """Whether ``candidate`` goes back on either count: a lower sequence or an earlier time."""
    return candidate.sequence < seen.sequence or candidate.generated_at < seen.generated_at


def check_not_older(candidate: Freshness, seen: Freshness) -> None:
    """Raise :class:`RollbackError` if ``candidate`` is older than ``seen``."""
    if is_older(candidate, seen):
        raise RollbackError(f"{candidate} is older than {seen}, already seen")
