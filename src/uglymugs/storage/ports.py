"""The storage interfaces the domain code depends on.

Each port has a local adapter (files, SQLite) and an AWS adapter (S3, DynamoDB);
the domain never imports boto3. Tests run the same suite against both.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

# How long an idempotency key keeps its report number: a day of retries.
IDEMPOTENCY_TTL = timedelta(hours=24)


def utc_now() -> datetime:
    """The default clock of the ledgers (tests inject their own)."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class StoredReport:
    """One sealed report as the vault holds it: ciphertext and the minimum around it."""

    report_number: str
    key_id: str
    ciphertext: bytes
    received_at: str  # ISO 8601, UTC, to the second


class ReportVault(Protocol):
    """Write-once store of sealed reports, keyed by report number.

    The report function may only call :meth:`put_new`; listing and reading are for
    staff machines (on AWS the function's role cannot read the vault at all).
    """

    def put_new(self, report: StoredReport) -> bool:
        """Store ``report`` unless its number exists; return False if it did exist."""
        ...

    def get(self, report_number: str) -> StoredReport | None: ...

    def numbers(self) -> Iterator[str]: ...


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
