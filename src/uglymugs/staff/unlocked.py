"""The console's unlocked state: private keys and decrypted reports, in memory only.

Unlocking opens the key files with the passphrase typed into the console (the
report keys, and the case keys that open case records) and decrypts every report
once, so the queue, filters and search work on memory alone. Nothing here is ever
written: locking (by hand, or after :data:`IDLE_SECONDS` without a request) drops
the keys, every decrypted report and every opened case record.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from nacl.public import PrivateKey

from uglymugs.cases.records import Casework
from uglymugs.cases.store import CaseStore
from uglymugs.crypto.keys import unlock_case_keys, unlock_report_keys
from uglymugs.reports.incidents import Incident, group_incidents
from uglymugs.reports.reading import OpenedReport, open_report
from uglymugs.reports.vault import ReportVault
from uglymugs.reports.vault.codec import VaultRecordError

IDLE_SECONDS = 15 * 60
# How often pages look for newly arrived reports (listing a vault of 10,000 takes time).
RELOAD_SECONDS = 30


@dataclass
class Unlocked:
    """What an unlocked console holds: keys, reports, incidents and casework."""

    private_keys: Mapping[str, PrivateKey]
    casework: Casework
    reports: dict[str, OpenedReport] = field(default_factory=dict)
    incidents: list[Incident] = field(default_factory=list)
    by_number: dict[str, Incident] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)  # incident → lower-case text, for search
    summaries: dict[str, dict] = field(default_factory=dict)  # incident → Incident.summary()
    seen: set[str] = field(default_factory=set)  # report numbers this person has opened
    derived: dict[str, Any] = field(default_factory=dict)  # built from reports (links); dropped

    def incident_of(self, number: str) -> Incident | None:
        return self.by_number.get(number)


@dataclass
class Keyholder:
    """Unlocks, reloads and locks; locks by itself after :data:`IDLE_SECONDS` idle."""

    keys_dir: Path
    vault: ReportVault
    case_store: CaseStore
    clock: Callable[[], float] = time.monotonic
    now: Callable[[], datetime] = lambda: datetime.now(UTC)
    idle_seconds: float = IDLE_SECONDS
    state: Unlocked | None = None
    last_used: float = 0.0
    last_reload: float = float("-inf")

    def unlock(self, passphrase: str) -> Unlocked:
        """Raises :class:`~uglymugs.crypto.keys.KeyStoreError` for a wrong passphrase
        or a key ring without a case key."""
        keys = unlock_report_keys(self.keys_dir, passphrase)
        casework = Casework(self.case_store, unlock_case_keys(self.keys_dir, passphrase), self.now)
        self.state = Unlocked(keys, casework)
        self.reload(force=True)
        self.last_used = self.clock()
        return self.state

    def reload(self, *, force: bool = False) -> int:
        """Decrypt the reports not held yet (new arrivals) and regroup; how many were new.

        Looks at the vault at most every :data:`RELOAD_SECONDS` unless ``force``d."""
        state = self.state
        if state is None or (not force and self.clock() - self.last_reload < RELOAD_SECONDS):
            return 0
        self.last_reload = self.clock()
        new = [number for number in self.vault.numbers() if number not in state.reports]
        for number in new:
            state.reports[number] = self._open(number, state.private_keys)
        if new or not state.incidents:
            state.incidents = group_incidents(state.reports.values())
            state.by_number = {n: i for i in state.incidents for n in i.numbers}
            state.texts = {i.number: incident_text(i) for i in state.incidents}
            state.summaries = {i.number: i.summary() for i in state.incidents}
        return len(new)

    def _open(self, number: str, keys: Mapping[str, PrivateKey]) -> OpenedReport:
        try:
            stored = self.vault.get(number)
        except VaultRecordError as error:
            return OpenedReport(number, "", "", problem=f"the vault record is corrupt: {error}")
        if stored is None:
            return OpenedReport(number, "", "", problem="the vault record disappeared")
        return open_report(stored, keys)

    def expire(self) -> None:
        """Lock if idle too long; called by a timer too, so keys do not wait in memory
        for the next request to notice."""
        if self.state is not None and self.clock() - self.last_used > self.idle_seconds:
            self.lock()

    def current(self) -> Unlocked | None:
        """The unlocked state, or None: locked, or idle too long (then locked now)."""
        self.expire()
        if self.state is not None:
            self.last_used = self.clock()
        return self.state

    def lock(self) -> None:
        self.state = None


def incident_text(incident: Incident) -> str:
    """Every number and answer of ``incident`` as one lower-case string (memory only)."""
    parts = list(incident.numbers)
    for answer in incident.answers.values():
        value = answer.value
        parts += [str(item) for item in value] if isinstance(value, list) else [str(value)]
    return "\n".join(parts).casefold()
