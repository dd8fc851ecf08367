"""The console's unlocked state: private keys and decrypted reports, in memory only.

Unlocking opens the key files with the passphrase typed into the console (the
report keys, and the case keys that open case records) and decrypts every report
once, so the queue, filters and search work on memory alone. The only thing written
is the sealed report index (:mod:`uglymugs.reports.index`, ciphertext under the case
key), refreshed whenever new reports arrive so the command never has to decrypt them
again. Locking (by hand, or after :data:`IDLE_SECONDS` without a request) drops
the keys, every decrypted report and every opened case record.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from nacl.public import PrivateKey

from uglymugs.cases.records import Casework
from uglymugs.cases.store import CaseStore
from uglymugs.crypto.keys import unlock_case_keys, unlock_report_keys
from uglymugs.reports.incidents import Incident, group_incidents
from uglymugs.reports.index import SealedIndex
from uglymugs.reports.reading import OpenedReport, open_report
from uglymugs.reports.vault import ReportVault
from uglymugs.reports.vault.codec import VaultRecordError
from uglymugs.staff.seen import load_seen, save_seen

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
    # Told why whenever an unlocked console locks (the audit trail records it).
    on_lock: Callable[[str], None] | None = None
    # This staff member's sealed record of the reports they opened (staff/seen.py).
    seen_path: Path | None = None
    last_used: float = 0.0
    last_reload: float = float("-inf")
    index_path: Path | None = None  # the sealed report index the command reads, kept fresh

    def unlock(self, passphrase: str) -> Unlocked:
        """Raises :class:`~uglymugs.crypto.keys.KeyStoreError` for a wrong passphrase
        or a key ring without a case key."""
        keys = unlock_report_keys(self.keys_dir, passphrase)
        casework = Casework(self.case_store, unlock_case_keys(self.keys_dir, passphrase), self.now)
        self.state = Unlocked(keys, casework)
        if self.seen_path is not None:
            self.state.seen = load_seen(self.seen_path, casework.keys)
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
        if new and self.index_path is not None:
            self._write_index(state)
        return len(new)

    def _write_index(self, state: Unlocked) -> None:
        """Add the new reports and the incidents just grouped to the index (a segment
        of only those: regrouping every report inside the index's write took about a
        second at 10,000, and sealing it whole a few tenths). When a report is
        unreadable the index's incidents (over the readable ones) can differ from the
        console's, so the index is rewritten and works them out itself."""
        assert self.index_path is not None  # noqa: S101 - only called with a path
        index = SealedIndex(self.index_path, state.casework.keys)
        if all(report.content is not None for report in state.reports.values()):
            index.add(state.reports, state.summaries)
        else:
            index.write(state.reports.values())

    def _open(self, number: str, keys: Mapping[str, PrivateKey]) -> OpenedReport:
        try:
            stored = self.vault.get(number)
        except VaultRecordError as error:
            return OpenedReport(number, "", "", problem=f"the vault record is corrupt: {error}")
        if stored is None:
            return OpenedReport(number, "", "", problem="the vault record disappeared")
        return open_report(stored, keys)

    def mark_seen(self, numbers: Iterable[str]) -> None:
        """Remember that these reports were opened, in memory and in the sealed file."""
        state = self.state
        if state is None or state.seen.issuperset(numbers):
            return
        state.seen.update(numbers)
        if self.seen_path is not None:
            keys = state.casework.keys
            save_seen(self.seen_path, keys, state.casework.current_key_id, state.seen)

    def expire(self) -> None:
        """Lock if idle too long; called by a timer too, so keys do not wait in memory
        for the next request to notice."""
        if self.state is not None and self.clock() - self.last_used > self.idle_seconds:
            self.lock("idle")

    def current(self) -> Unlocked | None:
        """The unlocked state, or None: locked, or idle too long (then locked now)."""
        self.expire()
        if self.state is not None:
            self.last_used = self.clock()
        return self.state

    def lock(self, why: str = "") -> None:
        """Drop the keys and every decrypted report; ``on_lock`` hears why, if it was open."""
        was_open, self.state = self.state is not None, None
        if was_open and self.on_lock is not None:
            self.on_lock(why)


def incident_text(incident: Incident) -> str:
    """Every number and answer of ``incident`` as one lower-case string (memory only)."""
    parts = list(incident.numbers)
    for answer in incident.answers.values():
        value = answer.value
        parts += [str(item) for item in value] if isinstance(value, list) else [str(value)]
    return "\n".join(parts).casefold()
