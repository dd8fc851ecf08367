"""In-memory stand-ins for the storage ports, and wrappers that inject failures.

The real adapters are tested against the same contract in each port's tests
(``tests/reports/test_vault.py``, ``test_claims.py``); these exist to make a crash
happen exactly where a test wants it.
"""

from __future__ import annotations

from collections.abc import Iterator

from uglymugs.reports.claims import IdempotencyClaim, IdempotencyLedger
from uglymugs.reports.vault import ReportVault, StoredReport


class InMemoryVault:
    def __init__(self) -> None:
        self.reports: dict[str, StoredReport] = {}

    def put_new(self, report: StoredReport) -> bool:
        if report.report_number in self.reports:
            return False
        self.reports[report.report_number] = report
        return True

    def get(self, report_number: str) -> StoredReport | None:
        return self.reports.get(report_number)

    def numbers(self) -> Iterator[str]:
        return iter(sorted(self.reports))


class InMemoryLedger:
    def __init__(self) -> None:
        self.claims: dict[str, tuple[str, str]] = {}

    def claim(self, key_digest: str, payload_digest: str, report_number: str) -> IdempotencyClaim:
        if key_digest in self.claims:
            number, payload = self.claims[key_digest]
            return IdempotencyClaim(number, payload, created_now=False)
        self.claims[key_digest] = (report_number, payload_digest)
        return IdempotencyClaim(report_number, payload_digest, created_now=True)

    def rebind(self, key_digest: str, report_number: str) -> None:
        self.claims[key_digest] = (report_number, self.claims[key_digest][1])


class StorageDownError(OSError):
    """Raised by a wrapped adapter to simulate an outage or a crash mid-request."""


class CrashingVault:
    """Wraps a vault; the next ``crashes`` writes raise instead of storing."""

    def __init__(self, inner: ReportVault, crashes: int = 1) -> None:
        self.inner = inner
        self.crashes = crashes

    def put_new(self, report: StoredReport) -> bool:
        if self.crashes > 0:
            self.crashes -= 1
            raise StorageDownError("simulated crash before the vault write")
        return self.inner.put_new(report)

    def get(self, report_number: str) -> StoredReport | None:
        return self.inner.get(report_number)

    def numbers(self) -> Iterator[str]:
        return self.inner.numbers()


class CrashingLedger:
    """Wraps a ledger; the next ``crashes`` claims raise."""

    def __init__(self, inner: IdempotencyLedger, crashes: int = 1) -> None:
        self.inner = inner
        self.crashes = crashes

    def claim(self, key_digest: str, payload_digest: str, report_number: str) -> IdempotencyClaim:
        if self.crashes > 0:
            self.crashes -= 1
            raise StorageDownError("simulated ledger outage")
        return self.inner.claim(key_digest, payload_digest, report_number)

    def rebind(self, key_digest: str, report_number: str) -> None:
        self.inner.rebind(key_digest, report_number)


class Gate:
    """Blocks the thread that calls :meth:`wait_here` until a test opens it.

    An API that runs blocking work on its event loop cannot answer another request
    while one waits here, so the wait times out and :attr:`opened_in_time` stays False.
    """

    def __init__(self, timeout: float = 5.0) -> None:
        import threading

        self.entered = threading.Event()
        self._open = threading.Event()
        self.timeout = timeout
        self.opened_in_time = False

    def wait_here(self) -> None:
        self.entered.set()
        self.opened_in_time = self._open.wait(self.timeout)

    def open(self) -> None:
        self._open.set()
