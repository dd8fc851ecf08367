"""The report vault: where sealed reports are stored (the port).

A write-once store of ciphertext keyed by report number. Adapters: :mod:`.files`
(a directory on this machine) and :mod:`.s3` (a private, versioned S3 bucket under
SSE-KMS); :mod:`.codec` is the record format both write. The composition root
(:mod:`uglymugs.composition`) chooses one from the settings.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from dataclasses import dataclass
from typing import Protocol


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

    def number_set(self, known: Collection[str] = ()) -> set[str]:
        """Every report number in the vault, in no order: what :meth:`numbers` lists,
        without sorting, and checking only the names not in ``known`` (numbers the
        caller already knows to be well formed, such as the report index's). At 10,000
        reports, sorting and checking every name cost as much as listing them."""
        ...

    def listing_digest(self) -> str | None:
        """A digest of the vault's listing as it is now (every name in it, reports or
        not), or None when this adapter has none cheaper than :meth:`number_set`. It
        changes whenever a name is added or removed (it may change without: then the
        caller only does the work it would have done anyway), so the report index can
        record it with the numbers it saw, and ``reports show`` can tell that nothing
        arrived since without checking 10,000 numbers."""
        ...

    def numbers_and_digest(self) -> tuple[list[str], str | None]:
        """:meth:`numbers` (sorted) and :meth:`listing_digest`, from one listing: what
        the numbers came from, whatever arrives meanwhile."""
        ...

    def delete(self, report_number: str) -> bool:
        """Remove a report (retention only, on a staff machine); False if it was not there.

        A versioned bucket keeps the data as a noncurrent version until its lifecycle
        rule forgets it (35 days); a local vault removes the file at once.
        """
        ...
