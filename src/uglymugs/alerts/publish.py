"""Publishing the bundles: sign and shelve every alert bundle, then switch the manifest.

:func:`uglymugs.publishing.publish` (what ``uglymugs publish`` and CI run) checks the
alerts and builds the site, then calls :func:`publish_records`, which works on plain
:class:`AlertRecord` values and is idempotent: when no alert changed since the last
publish (and no bundle would differ) it writes nothing and returns a result with
``sequence`` None. Otherwise it

1. builds every bundle and printable page (:func:`~uglymugs.alerts.bundles.build_bundles`)
   and signs each one;
2. stores them, their ``.sig`` files and ``versions.json`` under a new prefix
   ``seq-NNNNNN/`` (files are never replaced);
3. stores the change record ``changes/seq-NNNNNN.json`` (and its ``.sig``) for notify;
4. replaces the signed ``manifest.json`` — the one write that switches readers over;
5. prunes sequences older than the last :data:`KEEP_SEQUENCES`.

A crash before step 4 leaves the old set current and some unreferenced files, which
a later publish prunes; it never leaves a mix.

>>> result = publish_records(records, shelf=shelf, signing_key=key, key_id=key_id,
...                          today=today, now=now)  # doctest: +SKIP
>>> result.sequence, result.changes.new  # doctest: +SKIP
(42, ('UM-7K3F-92QH',))
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from nacl.signing import SigningKey

from uglymugs.alerts.bundles import (
    ALL_SCOPE,
    AlertRecord,
    build_bundles,
    bundle_stem,
    content_digest,
    format_timestamp,
)
from uglymugs.alerts.changes import (
    Changes,
    changes_document,
    changes_name,
    detect_changes,
    parse_versions,
    versions_document,
    versions_of,
)
from uglymugs.alerts.manifest import (
    FileEntry,
    Manifest,
    ManifestError,
    read_file,
    sequence_of,
    sequence_prefix,
    sign_manifest,
    verify_manifest,
)
from uglymugs.alerts.shelf import BundleShelf
from uglymugs.alerts.signing import SIGNATURE_SUFFIX, sha256_hex, signature_b64, signature_file

# The current sequence and the two before it stay on the shelf: a reader that read the
# manifest just before a publish can still read every file it names.
KEEP_SEQUENCES = 3
VERSIONS_NAME = "versions.json"
ALL_BUNDLE_NAME = bundle_stem(ALL_SCOPE) + ".json"


@dataclass(frozen=True)
class PublishResult:
    """What a publish did. ``sequence`` is None when nothing was new."""

    sequence: int | None
    previous_sequence: int | None
    changes: Changes
    files: tuple[str, ...] = ()  # shelf names written, manifest excluded
    pruned: tuple[int, ...] = ()  # sequences removed from the shelf
    current_alerts: int = 0
    site_output: Path | None = None
    warnings: tuple[Any, ...] = field(default=())  # accepted check warnings, for the record

    @property
    def published(self) -> bool:
        return self.sequence is not None


def records_from_check(result: Any) -> list[AlertRecord]:
    """The adapter from the alert check's result to bundle records (its one use of it)."""
    records = []
    for checked in result.alerts:
        alert = checked.alert
        records.append(
            AlertRecord(
                number=alert.number,
                status=alert.status,
                region=alert.region,
                expires=alert.expires,
                digest=alert.version_digest(),
                data=alert.bundle_record(),
            )
        )
    return records


def region_names() -> dict[str, str]:
    """``{region id: name}`` of the police force areas, for printable pages."""
    from uglymugs.alerts.regions import load_regions

    return {region_id: region.name for region_id, region in load_regions().items()}


def publish_records(
    records: Iterable[AlertRecord],
    *,
    shelf: BundleShelf,
    signing_key: SigningKey,
    key_id: str,
    today: date,
    now: datetime,
    region_names: Mapping[str, str] | None = None,
    verify_keys: Mapping[str, bytes] | None = None,
) -> PublishResult:
    """Sign and shelve bundles of ``records`` unless nothing changed since the last publish.

    ``verify_keys`` checks the previous manifest (default: this signing key's own).
    """
    records = list(records)
    verify_keys = verify_keys or {key_id: bytes(signing_key.verify_key)}
    previous = _previous_manifest(shelf, verify_keys)
    previous_versions = _previous_versions(shelf, previous)
    versions = versions_of(records, today)
    changes = detect_changes(previous_versions, versions)
    digest = content_digest(records, today=today, region_names=region_names)
    current_alerts = sum(version.listed for version in versions.values())
    previous_sequence = previous.sequence if previous else None
    if previous is not None and not changes and digest == previous.content_digest:
        return PublishResult(None, previous_sequence, changes, current_alerts=current_alerts)

    sequence = _next_sequence(shelf, previous)
    prefix = sequence_prefix(sequence)
    stamp = format_timestamp(now)
    bundles = build_bundles(
        records, sequence=sequence, generated_at=now, today=today, region_names=region_names
    )
    entries: dict[str, FileEntry] = {}
    written: list[str] = []

    def store(name: str, data: bytes, *, signed: bool = False) -> None:
        digest = sha256_hex(data)
        signature = signature_b64(data, signing_key) if signed else None
        shelf.put(name, data)
        entries[name] = FileEntry(digest, len(data), signature)
        written.append(name)
        if signature is not None:
            store(name + SIGNATURE_SUFFIX, signature_file(key_id, signature, digest))

    for name, data in sorted(bundles.items()):
        store(prefix + name, data, signed=True)
    store(prefix + VERSIONS_NAME, versions_document(versions))
    record = changes_document(
        changes,
        records=records,
        versions=versions,
        previous_versions=previous_versions,
        sequence=sequence,
        previous_sequence=previous_sequence,
        generated_at=stamp,
        changed_fields=_changed_fields(shelf, previous, records, changes.corrected),
    )
    store(changes_name(sequence), record, signed=True)
    shelf.put_manifest(
        sign_manifest(
            sequence=sequence,
            previous_sequence=previous_sequence,
            generated_at=stamp,
            content_digest=digest,
            versions=prefix + VERSIONS_NAME,
            changes=changes_name(sequence),
            files=entries,
            signing_key=signing_key,
            key_id=key_id,
        )
    )
    pruned = prune(shelf, keep_from=sequence - KEEP_SEQUENCES + 1)
    return PublishResult(
        sequence,
        previous_sequence,
        changes,
        files=tuple(written),
        pruned=pruned,
        current_alerts=current_alerts,
    )


def prune(shelf: BundleShelf, *, keep_from: int) -> tuple[int, ...]:
    """Delete every ``seq-NNNNNN/`` file of a sequence below ``keep_from``.

    Change records (``changes/``) are never pruned: notify may not have read them yet.
    """
    old = [name for name in shelf.names("seq-") if (sequence_of(name) or keep_from) < keep_from]
    shelf.delete(old)
    return tuple(sorted({sequence_of(name) for name in old}))  # type: ignore[type-var]


def _previous_manifest(shelf: BundleShelf, verify_keys: Mapping[str, bytes]) -> Manifest | None:
    data = shelf.get_manifest()
    return None if data is None else verify_manifest(data, verify_keys)


def _previous_versions(shelf: BundleShelf, previous: Manifest | None) -> dict:
    if previous is None:
        return {}
    data = read_file(shelf, previous, previous.versions)
    if data is None:
        raise ManifestError(f"manifest {previous.sequence} names {previous.versions}, not there")
    return parse_versions(data)


def _changed_fields(
    shelf: BundleShelf,
    previous: Manifest | None,
    records: Iterable[AlertRecord],
    corrected: tuple[str, ...],
) -> dict[str, list[str]]:
    """For each corrected alert, the fields members now see differently.

    Read from the previous publish's ``alerts-all.json`` (a corrected alert was in it);
    if that file cannot be read the correction is still announced, without the list.
    """
    if not corrected or previous is None:
        return {}
    name = sequence_prefix(previous.sequence) + ALL_BUNDLE_NAME
    try:
        data = read_file(shelf, previous, name)
    except ManifestError:
        return {}
    if data is None:
        return {}
    before = {entry["number"]: entry for entry in json.loads(data).get("alerts", ())}
    after = {record.number: record.entry() for record in records}
    changed = {}
    for number in corrected:
        old, new = before.get(number, {}), after[number]
        changed[number] = sorted(
            key for key in {*old, *new} if key != "status" and old.get(key) != new.get(key)
        )
    return changed


def _next_sequence(shelf: BundleShelf, previous: Manifest | None) -> int:
    """One more than any sequence seen, current or left by an interrupted publish."""
    seen = [sequence_of(name) or 0 for name in shelf.names("seq-")]
    return max([previous.sequence if previous else 0, *seen]) + 1
