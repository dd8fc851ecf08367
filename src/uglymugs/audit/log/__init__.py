"""The audit log port: an append-only sequence of entries, numbered from 1.

An adapter stores each :class:`AuditEntry` under its sequence number and refuses a
number already taken, atomically, so two staff appending at once cannot both take
the same place in the chain (the loser re-reads the head and tries the next number).
It never updates or deletes. Adapters: :mod:`uglymugs.audit.log.sqlite` (local) and
:mod:`uglymugs.audit.log.dynamodb` (AWS).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from typing import Protocol


@dataclass(frozen=True)
class AuditEntry:
    """One thing a member of staff did. ``targets``: report numbers, a member's
    username or an alert number; ``detail``: a status, a count, an alert number —
    never text from a report or a note."""

    sequence: int
    at: str  # UTC, ISO 8601
    who: str
    action: str
    targets: tuple[str, ...]
    detail: str
    previous_hash: str
    hash: str

    def to_json(self) -> str:
        return json.dumps(asdict(self), sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> AuditEntry:
        data = json.loads(text)
        data["targets"] = tuple(data["targets"])
        return cls(**data)


class AuditLog(Protocol):
    """Entries in sequence order; append only."""

    def append(self, entry: AuditEntry) -> bool:
        """Store ``entry``; False (and nothing stored) when its sequence is taken."""
        ...

    def last(self) -> AuditEntry | None:
        """The entry with the highest sequence number, or None when empty."""
        ...

    def entries(self) -> Iterator[AuditEntry]:
        """Every entry, lowest sequence first."""
        ...
