"""Alert bundles: every current alert, and the alerts of each region, as canonical JSON.

A pure function of its input: the same records, sequence and time give the same bytes
(:func:`build_bundles`), so signing them (Ed25519 is deterministic) gives the same
signatures too. The format is documented in ``docs/bundles.md``.

The input is :class:`AlertRecord` — the sanitised record an alert puts in bundles plus
the few facts this module decides on — so this code does not depend on how alert
files are read.

>>> files = build_bundles(records, sequence=42, generated_at=now)  # doctest: +SKIP
>>> sorted(files)[:2]  # doctest: +SKIP
['alerts-all.html', 'alerts-all.json']
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cached_property
from typing import Any

from uglymugs.alerts.canonical import assemble_array, assemble_object, canonical_bytes

BUNDLE_FORMAT = "uglymugs.alerts/1"
PUBLISHED = "published"
CORRECTED = "corrected"
WITHDRAWN = "withdrawn"
STATUSES = frozenset({PUBLISHED, CORRECTED, WITHDRAWN})
ALL_SCOPE = "all"
REGION_SCOPE_PREFIX = "region:"
# Region ids become file and object names: keep them to a safe alphabet.
_REGION_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")


class BundleError(ValueError):
    """Records that cannot be made into a bundle (a bad region id, a clash, …)."""


@dataclass(frozen=True)
class AlertRecord:
    """One version of one alert, as bundles need it.

    ``data`` is the alert's sanitised, JSON-ready bundle record; ``digest`` names this
    version of the alert (it changes whenever the alert file does).
    """

    number: str
    status: str
    region: str
    expires: date | None
    digest: str
    data: Mapping[str, Any] = field(default_factory=dict)

    def is_current(self, today: date) -> bool:
        """Published or corrected, and not expired (an alert expiring today stays today)."""
        if self.status == WITHDRAWN:
            return False
        return self.expires is None or self.expires >= today

    def entry(self) -> dict[str, Any]:
        """The alert as it appears in a bundle: its record, with number, status,
        region and expires always present."""
        entry = dict(self.data)
        if entry.get("number", self.number) != self.number:
            raise BundleError(
                f"alert {self.number}: its bundle record names number {entry['number']!r}"
            )
        entry["number"] = self.number
        entry.setdefault("status", self.status)
        entry.setdefault("region", self.region)
        entry.setdefault("expires", self.expires.isoformat() if self.expires else None)
        return entry

    @cached_property
    def entry_bytes(self) -> bytes:
        """:meth:`entry` as canonical JSON, encoded once however many bundles hold it."""
        return canonical_bytes(self.entry())


def region_scope(region_id: str) -> str:
    return f"{REGION_SCOPE_PREFIX}{region_id}"


def bundle_stem(scope: str) -> str:
    """``alerts-all`` or ``alerts-region-<id>``: the name of a scope's files, less suffix."""
    if scope == ALL_SCOPE:
        return "alerts-all"
    return f"alerts-region-{scope.removeprefix(REGION_SCOPE_PREFIX)}"


def format_timestamp(moment: datetime) -> str:
    """UTC to the second, e.g. ``2026-11-23T10:00:00Z`` (naive times are refused)."""
    if moment.tzinfo is None:
        raise BundleError("generated_at must be timezone-aware")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def current_records(records: Iterable[AlertRecord], today: date) -> list[AlertRecord]:
    """The alerts that belong in bundles, sorted by number; checks numbers and regions."""
    seen: set[str] = set()
    current = []
    for record in records:
        if record.status not in STATUSES:
            raise BundleError(f"alert {record.number}: unknown status {record.status!r}")
        if record.number in seen:
            raise BundleError(f"alert {record.number} appears twice")
        seen.add(record.number)
        if record.is_current(today):
            if not _REGION_ID.fullmatch(record.region):
                raise BundleError(f"alert {record.number}: region id {record.region!r} is unsafe")
            current.append(record)
    return sorted(current, key=lambda record: record.number)


def build_bundles(
    records: Iterable[AlertRecord],
    *,
    sequence: int,
    generated_at: datetime,
    today: date | None = None,
    region_names: Mapping[str, str] | None = None,
) -> dict[str, bytes]:
    """Every bundle and its printable page in each language, by file name
    (``alerts-all.json``, ``alerts-all.html``, ``alerts-all.pl.html``, …).

    ``today`` decides expiry (default: the UTC date of ``generated_at``);
    ``region_names`` titles the printable pages (default: the region ids), and each
    region it names that holds no current alert gets a signed empty bundle (no printable
    page): a member who chose that region then gets a verifiable "none", of its scope and
    sequence, rather than an error the browser cannot check.
    """
    from uglymugs.alerts.printable import (
        page_name,
        printable_languages,
        render_printable,
        render_section,
    )

    if isinstance(sequence, bool) or not isinstance(sequence, int) or sequence < 1:
        raise BundleError(f"sequence must be a positive integer, not {sequence!r}")
    stamp = format_timestamp(generated_at)
    today = today or generated_at.astimezone(UTC).date()
    names = region_names or {}
    current = current_records(records, today)
    scopes: dict[str, list[AlertRecord]] = {ALL_SCOPE: current}
    for record in current:
        scopes.setdefault(region_scope(record.region), []).append(record)
    empty = {region_scope(region) for region in names if region_scope(region) not in scopes}
    for scope in sorted(empty):
        if not _REGION_ID.fullmatch(scope.removeprefix(REGION_SCOPE_PREFIX)):
            raise BundleError(f"region id {scope.removeprefix(REGION_SCOPE_PREFIX)!r} is unsafe")
        scopes[scope] = []
    # Each alert is encoded once, and rendered once a language, then shared by "all"
    # and its region.
    languages = printable_languages()
    entries = [(record.number, record.entry()) for record in current]
    sections = {
        language.code: {number: render_section(entry, names, language) for number, entry in entries}
        for language in languages
    }
    files: dict[str, bytes] = {}
    for scope, members in scopes.items():
        stem = bundle_stem(scope)
        files[f"{stem}.json"] = assemble_object(
            {
                "alerts": assemble_array([record.entry_bytes for record in members]),
                "format": canonical_bytes(BUNDLE_FORMAT),
                "generated_at": canonical_bytes(stamp),
                "scope": canonical_bytes(scope),
                "sequence": canonical_bytes(sequence),
            }
        )
        if scope in empty:
            continue
        for language in languages:
            files[page_name(stem, language)] = render_printable(
                scope_title=None if scope == ALL_SCOPE else scope_title(scope, names),
                sections=[sections[language.code][record.number] for record in members],
                sequence=sequence,
                generated_at=stamp,
                language=language,
            )
    return files


def scope_title(scope: str, region_names: Mapping[str, str]) -> str:
    if scope == ALL_SCOPE:
        return "All regions"
    region = scope.removeprefix(REGION_SCOPE_PREFIX)
    return region_names.get(region, region)


def content_digest(
    records: Iterable[AlertRecord],
    *,
    today: date,
    region_names: Mapping[str, str] | None = None,
) -> str:
    """SHA-256 of everything bundles say except their sequence and time.

    Two publishes with the same digest would write the same alerts, so the second
    one is skipped; the printable template is part of it, so a new template publishes.
    """
    from uglymugs.alerts.printable import template_digest

    current = current_records(records, today)
    used = sorted({record.region for record in current})
    names = region_names or {}
    described = assemble_object(
        {
            "alerts": assemble_array([record.entry_bytes for record in current]),
            "format": canonical_bytes(BUNDLE_FORMAT),
            "printable": canonical_bytes(template_digest()),
            "regions": canonical_bytes({region: names.get(region, region) for region in used}),
        }
    )
    return hashlib.sha256(described).hexdigest()
