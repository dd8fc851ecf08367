"""The case store port: sealed case records by incident number, each with a version.

A record is ciphertext (sealed on the staff machine with the case key) plus the
incident's report number, the id of the key it was sealed with, its version and when
it was saved. Saving names the version it was based on; the store writes only if
that is still the stored version (0: no record yet) and raises
:class:`StaleVersionError` with the newer record otherwise, atomically, so two staff
saving one case at once never overwrite each other silently. Adapters:
:mod:`uglymugs.cases.store.sqlite` (local) and :mod:`uglymugs.cases.store.dynamodb` (AWS).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class SealedCase:
    """One stored case record: ``ciphertext`` is a secretbox under key ``key_id``."""

    number: str  # the incident's (original report's) number
    version: int  # 1 for the first save, one more for each save after
    key_id: str
    ciphertext: bytes
    saved_at: str


class StaleVersionError(Exception):
    """A save based on a version that is no longer the stored one; ``current`` is the
    record as stored now."""

    def __init__(self, current: SealedCase) -> None:
        super().__init__(f"case {current.number} is at version {current.version}")
        self.current = current


class CaseStore(Protocol):
    """Sealed case records, one per incident number."""

    def get(self, number: str) -> SealedCase | None: ...

    def put(self, record: SealedCase) -> None:
        """Store ``record`` if the stored version is ``record.version - 1`` (none stored
        for version 1); else raise :class:`StaleVersionError`."""
        ...

    def all(self) -> list[SealedCase]:
        """Every record (for the triage queue), in no particular order."""
        ...

    def held_reports(self) -> set[str]:
        """Report numbers with a case record: kept past their retention years (the
        :class:`~uglymugs.operations.retention.RetentionHolds` hook)."""
        ...
