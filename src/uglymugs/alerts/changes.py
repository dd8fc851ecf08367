"""What changed since the last publish: new, corrected, withdrawn and expired alerts.

Each publish records the version of every alert it saw (number → status, version
digest, region, and whether it was in the bundles) in ``versions.json`` under its
sequence prefix. The next publish compares the alerts it has with that record:

- **new**: in the bundles now, and not in them last time (a new number, or one that
  comes back: no longer withdrawn, or its expiry moved later);
- **corrected**: in the bundles both times, with another digest or status;
- **withdrawn**: withdrawn now and not before (or gone from the alert files), having
  been known last time;
- **expired**: in the bundles last time, out of them now only because it expired.

New, corrected and withdrawn are what members are told about; expired is reported to
staff only. The list is stored on the shelf as ``changes/seq-000042.json`` (signed,
never pruned) for notify, which sends each change once. Each record names the
sequence it was compared with (``previous_sequence``), so notify follows that chain
back from the current manifest and never reads a record whose publish was interrupted
before its manifest switch.

>>> detect_changes({}, {"UM-1": AlertVersion("published", "d1", "kent", True)}).new
('UM-1',)
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from uglymugs.alerts.bundles import WITHDRAWN, AlertRecord
from uglymugs.alerts.canonical import assemble_array, assemble_object, canonical_bytes

VERSIONS_FORMAT = "uglymugs.alert-versions/1"
CHANGES_FORMAT = "uglymugs.changes/1"
CHANGES_PREFIX = "changes/"


class VersionsFormatError(ValueError):
    """A versions record that is not in the expected form."""


@dataclass(frozen=True)
class AlertVersion:
    """What one publish saw of one alert."""

    status: str
    digest: str
    region: str
    listed: bool  # in the bundles of that publish
    risk: str | None = None  # what members were told; a withdrawn alert's record has none

    def as_document(self) -> dict[str, Any]:
        document: dict[str, Any] = {
            "status": self.status,
            "digest": self.digest,
            "region": self.region,
            "listed": self.listed,
        }
        if self.risk is not None:
            document["risk"] = self.risk
        return document


@dataclass(frozen=True)
class Changes:
    """Alert numbers by kind of change, each tuple sorted."""

    new: tuple[str, ...] = ()
    corrected: tuple[str, ...] = ()
    withdrawn: tuple[str, ...] = ()
    expired: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.new or self.corrected or self.withdrawn or self.expired)

    @property
    def to_notify(self) -> int:
        """How many changes members are told about (expiry is not announced)."""
        return len(self.new) + len(self.corrected) + len(self.withdrawn)


def versions_of(records: Iterable[AlertRecord], today: date) -> dict[str, AlertVersion]:
    return {
        record.number: AlertVersion(
            record.status,
            record.digest,
            record.region,
            record.is_current(today),
            record.data.get("risk"),
        )
        for record in records
    }


def detect_changes(
    previous: Mapping[str, AlertVersion], current: Mapping[str, AlertVersion]
) -> Changes:
    """Compare what the last publish recorded with the alerts now."""
    new, corrected, withdrawn, expired = [], [], [], []
    for number, now in current.items():
        before = previous.get(number)
        if now.status == WITHDRAWN:
            if before is not None and before.status != WITHDRAWN:
                withdrawn.append(number)
        elif now.listed:
            if before is None or not before.listed:
                new.append(number)
            elif before.digest != now.digest or before.status != now.status:
                corrected.append(number)
        elif before is not None and before.listed:
            expired.append(number)
    for number, before in previous.items():
        if number not in current and before.status != WITHDRAWN:
            withdrawn.append(number)  # its file is gone: it must leave members' lists too
    return Changes(*(tuple(sorted(kind)) for kind in (new, corrected, withdrawn, expired)))


def versions_document(versions: Mapping[str, AlertVersion]) -> bytes:
    """``versions.json``: what this publish saw of every alert, canonical JSON."""
    return canonical_bytes(
        {
            "format": VERSIONS_FORMAT,
            "alerts": {number: version.as_document() for number, version in versions.items()},
        }
    )


def parse_versions(data: bytes) -> dict[str, AlertVersion]:
    try:
        document = json.loads(data)
        if document.get("format") != VERSIONS_FORMAT:
            raise VersionsFormatError(f"not a {VERSIONS_FORMAT} document")
        return {
            str(number): AlertVersion(
                status=str(item["status"]),
                digest=str(item["digest"]),
                region=str(item["region"]),
                listed=bool(item["listed"]),
                risk=str(item["risk"]) if item.get("risk") is not None else None,
            )
            for number, item in document["alerts"].items()
        }
    except (ValueError, AttributeError, KeyError, TypeError) as error:
        raise VersionsFormatError(f"versions record cannot be read: {error}") from None


def changes_name(sequence: int) -> str:
    return f"{CHANGES_PREFIX}seq-{sequence:06d}.json"


def changes_document(
    changes: Changes,
    *,
    records: Iterable[AlertRecord],
    versions: Mapping[str, AlertVersion],
    previous_versions: Mapping[str, AlertVersion],
    sequence: int,
    previous_sequence: int | None,
    generated_at: str,
    changed_fields: Mapping[str, Iterable[str]] | None = None,
) -> bytes:
    """The record notify reads: whole entries for new and corrected alerts (and, for a
    correction, the names of the fields members see differently), and for withdrawn and
    expired ones the number, region, version digest, the risk members were told and
    the reason for a withdrawal."""
    by_number = {record.number: record for record in records}

    def gone(number: str) -> bytes:
        before = previous_versions.get(number)
        version = versions.get(number) or before
        entry: dict[str, Any] = {
            "number": number,
            "region": version.region,  # type: ignore[union-attr]
            "version": version.digest,  # type: ignore[union-attr]
        }
        risk = before.risk if before is not None else None
        if risk is not None:
            entry["risk"] = risk
        reason = by_number[number].data.get("withdrawn_reason") if number in by_number else None
        if reason:
            entry["withdrawn_reason"] = reason
        return canonical_bytes(entry)

    def entries(numbers: tuple[str, ...]) -> bytes:
        return assemble_array([by_number[number].entry_bytes for number in numbers])

    return assemble_object(
        {
            "format": canonical_bytes(CHANGES_FORMAT),
            "sequence": canonical_bytes(sequence),
            "previous_sequence": canonical_bytes(previous_sequence),
            "generated_at": canonical_bytes(generated_at),
            "new": entries(changes.new),
            "corrected": entries(changes.corrected),
            "withdrawn": assemble_array([gone(number) for number in changes.withdrawn]),
            "expired": assemble_array([gone(number) for number in changes.expired]),
            "changed_fields": canonical_bytes(
                {number: sorted(names) for number, names in (changed_fields or {}).items()}
            ),
        }
    )
