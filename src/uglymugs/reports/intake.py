"""Accepting a sealed report: give it a number and store it once, whatever happens.

A reporter on a bad connection presses "send" again, or the browser retries. Each
submission may carry an idempotency key; the first claim binds that key to a fresh
report number, and every later request with the same key gets the same number. The
vault write is create-if-absent and is repeated on every retry, so a crash between
the claim and the write is healed by the retry: nothing is lost and nothing is
stored twice. The same key with a different ciphertext is refused rather than
silently dropping the second report.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

from uglymugs.reports.claims import IdempotencyLedger
from uglymugs.reports.numbers import new_report_number
from uglymugs.reports.submission import Submission
from uglymugs.reports.vault import ReportVault, StoredReport

NUMBER_ATTEMPTS = 8


class IdempotencyConflictError(Exception):
    """An idempotency key already used for a different report was sent again."""


class NumberSpaceExhaustedError(RuntimeError):
    """Every attempt at a fresh report number collided: the vault is in trouble."""


@dataclass(frozen=True)
class Receipt:
    """What the reporter is told: their number, and whether this request stored it."""

    report_number: str
    replayed: bool


def _utc_now() -> datetime:
    return datetime.now(UTC)


def digest(*parts: bytes) -> str:
    """A domain-separated SHA-256 so ledgers hold no client value as sent."""
    hasher = hashlib.sha256(b"uglymugs.intake/1")
    for part in parts:
        hasher.update(len(part).to_bytes(8, "big") + part)
    return hasher.hexdigest()


@dataclass
class ReportIntake:
    vault: ReportVault
    ledger: IdempotencyLedger
    clock: Callable[[], datetime] = _utc_now
    new_number: Callable[[], str] = field(default=new_report_number)

    def accept(self, submission: Submission) -> Receipt:
        """Store ``submission`` exactly once and return its report number."""
        if submission.idempotency_key is None:
            return Receipt(self._store_under_fresh_number(submission), replayed=False)
        return self._accept_idempotent(submission)

    def _accept_idempotent(self, submission: Submission) -> Receipt:
        key_digest = digest(submission.idempotency_key.encode("utf-8"))  # type: ignore[union-attr]
        payload_digest = digest(submission.key_id.encode("utf-8"), submission.ciphertext)
        claim = self.ledger.claim(key_digest, payload_digest, self.new_number())
        if claim.payload_digest != payload_digest:
            raise IdempotencyConflictError
        number = claim.report_number
        stored = self.vault.put_new(self._stored(number, submission))
        if claim.created_now:
            for _ in range(NUMBER_ATTEMPTS):
                if stored:
                    return Receipt(number, replayed=False)
                number = self.new_number()  # a 55-bit collision: astronomically rare
                self.ledger.rebind(key_digest, number)
                stored = self.vault.put_new(self._stored(number, submission))
            raise NumberSpaceExhaustedError
        # A retry. If the first attempt died before its write, this write healed it.
        return Receipt(number, replayed=not stored)

    def _store_under_fresh_number(self, submission: Submission) -> str:
        for _ in range(NUMBER_ATTEMPTS):
            number = self.new_number()
            if self.vault.put_new(self._stored(number, submission)):
                return number
        raise NumberSpaceExhaustedError

    def _stored(self, number: str, submission: Submission) -> StoredReport:
        received = self.clock().astimezone(UTC).replace(microsecond=0)
        return StoredReport(
            report_number=number,
            key_id=submission.key_id,
            ciphertext=submission.ciphertext,
            received_at=received.isoformat().replace("+00:00", "Z"),
        )
