"""The claim ledger: one report number per idempotency key, so retries never duplicate.

Adapters: :mod:`.sqlite` (a local database) and :mod:`.dynamodb` (a table with TTL
and point-in-time recovery). The composition root (:mod:`uglymugs.composition`)
chooses one from the settings.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

# How long an idempotency key keeps its report number: a day of retries.
IDEMPOTENCY_TTL = timedelta(hours=24)


def utc_now() -> datetime:
    """The default clock of the ledgers (tests inject their own)."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class IdempotencyClaim:
    """The report number bound to an idempotency key, and the payload it was bound with."""

    report_number: str
    payload_digest: str
    created_now: bool


class UnknownClaimError(LookupError):
    """A rebind for an idempotency key that has no live binding."""


class IdempotencyLedger(Protocol):
    """Binds a hashed idempotency key to one report number, atomically, for a day."""

    def claim(self, key_digest: str, payload_digest: str, report_number: str) -> IdempotencyClaim:
        """Bind ``key_digest`` to ``report_number`` unless bound; return the binding."""
        ...

    def rebind(self, key_digest: str, report_number: str) -> None:
        """Point an existing binding at a new number (only after a number collision).

        Raises :class:`UnknownClaimError` if ``key_digest`` is not bound.
        """
        ...
