"""What a publish asks notify to send: the signed change records on the bundle shelf.

Every publish stores ``changes/seq-NNNNNN.json`` (signed) before it switches the
manifest. Notify trusts only records on the chain that starts at the current, signed
manifest and follows ``previous_sequence`` back: a record left by a publish that was
interrupted before its switch is never on that chain, so members are never told about
alerts they cannot see. Each record is checked against its detached signature.

>>> feed = PublicationFeed(shelf, verify_keys)  # doctest: +SKIP
>>> [change.number for change in feed.publication(42).changes]  # doctest: +SKIP
['2026-0008']
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from uglymugs.alerts.changes import CHANGES_FORMAT, changes_name
from uglymugs.alerts.manifest import Manifest, verify_manifest
from uglymugs.alerts.shelf import BundleShelf
from uglymugs.alerts.signing import SIGNATURE_SUFFIX, BundleSignatureError, verify_detached

# How far back a catch-up looks: older publishes are not announced any more.
MAX_CATCH_UP = 10


class PublicationError(Exception):
    """A change record that is missing, unsigned, tampered with or not on the chain."""


class ChangeKind(StrEnum):
    NEW = "new"
    CORRECTED = "corrected"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class AlertChange:
    """One alert to tell members about, in one version.

    ``version`` is the digest of what members see, so (number, version) names exactly
    one message; ``record`` is the alert's bundle entry (empty for a withdrawal).
    """

    kind: ChangeKind
    number: str
    version: str
    region: str
    risk: str | None
    record: Mapping[str, Any] = field(default_factory=dict)
    changed_fields: tuple[str, ...] = ()
    sequence: int = 0


@dataclass(frozen=True)
class Publication:
    """The changes one publish announced, oldest change kind first."""

    sequence: int
    previous_sequence: int | None
    generated_at: str
    changes: tuple[AlertChange, ...]


class PublicationFeed:
    """Reads the current manifest and the change records on its chain."""

    def __init__(self, shelf: BundleShelf, verify_keys: Mapping[str, bytes]) -> None:
        self.shelf = shelf
        self.verify_keys = verify_keys

    def current_sequence(self) -> int | None:
        manifest = self._manifest()
        return None if manifest is None else manifest.sequence

    def chain(self, *, stop_at: set[int] | frozenset[int] = frozenset(), limit: int = MAX_CATCH_UP):
        """Publications from the current one back to (not including) the first sequence in
        ``stop_at``, at most ``limit`` of them, oldest first."""
        manifest = self._manifest()
        if manifest is None:
            return []
        found: list[Publication] = []
        sequence: int | None = manifest.sequence
        while sequence is not None and sequence not in stop_at and len(found) < limit:
            publication = self._read(sequence)
            found.append(publication)
            sequence = publication.previous_sequence
        return list(reversed(found))

    def publication(self, sequence: int) -> Publication:
        """The publication ``sequence``, if it is on the current chain."""
        current = self.current_sequence()
        if current is None:
            raise PublicationError("nothing has been published yet")
        walked: int | None = current
        while walked is not None and walked >= sequence:
            publication = self._read(walked)
            if walked == sequence:
                return publication
            walked = publication.previous_sequence
        raise PublicationError(
            f"sequence {sequence} is not on the published chain (current: {current}); "
            "it was never switched to, or is older than the chain"
        )

    def _manifest(self) -> Manifest | None:
        data = self.shelf.get_manifest()
        return None if data is None else verify_manifest(data, self.verify_keys)

    def _read(self, sequence: int) -> Publication:
        name = changes_name(sequence)
        data, signature = self.shelf.get(name), self.shelf.get(name + SIGNATURE_SUFFIX)
        if data is None or signature is None:
            raise PublicationError(f"{name}: missing from the shelf")
        try:
            verify_detached(data, signature, self.verify_keys)
        except BundleSignatureError as error:
            raise PublicationError(f"{name}: {error}") from None
        return parse_publication(data, expected_sequence=sequence)


def parse_publication(data: bytes, *, expected_sequence: int) -> Publication:
    """The :class:`Publication` in a verified change record."""
    try:
        document = json.loads(data)
        if document.get("format") != CHANGES_FORMAT:
            raise PublicationError(f"not a {CHANGES_FORMAT} document")
        sequence = document["sequence"]
        if sequence != expected_sequence:
            raise PublicationError(f"record says sequence {sequence}, not {expected_sequence}")
        changed = document.get("changed_fields", {})
        changes = [
            *(_listed(entry, ChangeKind.NEW, (), sequence) for entry in document["new"]),
            *(
                _listed(
                    entry, ChangeKind.CORRECTED, tuple(changed.get(entry["number"], ())), sequence
                )
                for entry in document["corrected"]
            ),
            *(_withdrawn(entry, sequence) for entry in document["withdrawn"]),
        ]
        return Publication(
            sequence=sequence,
            previous_sequence=document["previous_sequence"],
            generated_at=document["generated_at"],
            changes=tuple(changes),
        )
    except (KeyError, TypeError, AttributeError, ValueError) as error:
        if isinstance(error, PublicationError):
            raise
        raise PublicationError(
            f"change record {expected_sequence} cannot be read: {error}"
        ) from None


def _listed(
    entry: Mapping[str, Any], kind: ChangeKind, changed: tuple[str, ...], sequence: int
) -> AlertChange:
    from uglymugs.alerts.canonical import canonical_bytes
    from uglymugs.alerts.signing import sha256_hex

    return AlertChange(
        kind=kind,
        number=str(entry["number"]),
        version=sha256_hex(canonical_bytes(dict(entry))),
        region=str(entry["region"]),
        risk=entry.get("risk"),
        record=entry,
        changed_fields=changed,
        sequence=sequence,
    )


def _withdrawn(entry: Mapping[str, Any], sequence: int) -> AlertChange:
    return AlertChange(
        kind=ChangeKind.WITHDRAWN,
        number=str(entry["number"]),
        version="withdrawn-" + str(entry.get("version") or f"seq-{sequence}"),
        region=str(entry["region"]),
        risk=entry.get("risk"),
        record={"withdrawn_reason": entry["withdrawn_reason"]}
        if "withdrawn_reason" in entry
        else {},
        sequence=sequence,
    )
