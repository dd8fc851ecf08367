"""The staff-side report index: what lists need of every report, sealed with the case key.

``reports list`` and ``reports show`` used to decrypt the whole vault on every run (at
10,000 reports, seconds of public-key decryption to print one report). The index keeps,
for every readable report, its envelope (number, time, key id, type, reporter, what it
follows, who entered it) and the few answers lists and consents need
(:data:`INDEXED_ANSWERS`: dates, place, categories, consents, contact preference), never
free text. It is stored on the staff machine (``data_dir/index/``), sealed with the
current case key (secretbox), so at rest it is ciphertext like the vault it describes.

It is brought up to date, never trusted: every use lists the vault, opens only the
reports the index does not hold yet, forgets those the vault no longer has, and
writes the index back (atomically) only when something changed. A missing index, one
that does not open with this key ring, or one of another format is rebuilt from the
vault. The vault is write-once, so an indexed report never changes.

The file is one JSON header line, then two sealed parts: the *links* (every indexed
number and what each follows up, small) and the *entries*. ``reports show`` reads only
the links to find a report's incident, then opens those reports from the vault.

>>> index = SealedIndex(index_path(data_dir, None), case_keys)  # doctest: +SKIP
>>> reports = refresh(index, vault, private_keys).reports  # doctest: +SKIP
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nacl.exceptions
import nacl.secret
from nacl.public import PrivateKey

from uglymugs.private_files import replace_file
from uglymugs.reports.reading import OpenedReport, open_number
from uglymugs.reports.vault import ReportVault

SCHEMA = "uglymugs.report-index/1"
INDEXED_FIELDS = ("schema", "report_type", "reporter", "follows", "entered_by", "language")
INDEXED_ANSWERS = (
    "incident_date",
    "town_or_area",
    "force_area",
    "categories",
    "contact_preference",
    "consent_alert",
    "consent_scas",
    "consent_police_help",
    "victim_agreed",
)


@dataclass(frozen=True)
class Links:
    """Every indexed report number, and the number each follow-up follows."""

    numbers: frozenset[str]
    follows: Mapping[str, str]


@dataclass(frozen=True)
class Refreshed:
    """The vault as the index now sees it: every report (indexed ones slimmed to the
    indexed fields; unreadable ones with their problem) and how many were opened."""

    reports: dict[str, OpenedReport]
    opened: int


def index_path(data_dir: Path, bucket: str | None) -> Path:
    """Where the index of the local vault, or of S3 bucket ``bucket``, is kept."""
    return Path(data_dir) / "index" / (f"s3-{bucket}.sealed" if bucket else "vault.sealed")


def slim(report: OpenedReport) -> OpenedReport:
    """``report`` with only what the index keeps (envelope and :data:`INDEXED_ANSWERS`)."""
    content = report.content or {}
    kept: dict[str, Any] = {name: content[name] for name in INDEXED_FIELDS if name in content}
    kept["answers"] = {
        name: report.answers[name] for name in INDEXED_ANSWERS if name in report.answers
    }
    return OpenedReport(report.report_number, report.received_at, report.key_id, kept)


class SealedIndex:
    """The index file at ``path``, opened and sealed with the case key ring."""

    def __init__(self, path: Path, case_keys: Mapping[str, bytes]) -> None:
        self.path = Path(path)
        self.keys = dict(case_keys)
        self.current_key_id = list(case_keys)[-1]
        self.stale_key = False  # sealed with an older case key: rewrite when refreshed

    def links(self) -> Links | None:
        """The links part, or None when there is no index this key ring opens."""
        opened = self._read(entries=False)
        if opened is None:
            return None
        numbers, follows = opened[0]["numbers"], opened[0]["follows"]
        return Links(frozenset(numbers), dict(follows))

    def entries(self) -> dict[str, OpenedReport] | None:
        """Every indexed report (slim), or None when there is no index this key ring opens."""
        opened = self._read(entries=True)
        if opened is None or opened[1] is None:
            return None
        return {
            number: OpenedReport(number, received_at, key_id, content)
            for number, (received_at, key_id, content) in opened[1].items()
        }

    def write(self, reports: Iterable[OpenedReport]) -> None:
        """Seal the readable ones of ``reports`` (slimmed) as the whole index."""
        readable = [slim(report) for report in reports if report.content is not None]
        links = {
            "numbers": [report.report_number for report in readable],
            "follows": {r.report_number: r.follows for r in readable if r.follows},
        }
        entries = {r.report_number: [r.received_at, r.key_id, r.content] for r in readable}
        box = nacl.secret.SecretBox(self.keys[self.current_key_id])
        sealed = [bytes(box.encrypt(_json(part))) for part in (links, entries)]
        header = {"schema": SCHEMA, "key_id": self.current_key_id}
        header |= {"links": len(sealed[0]), "entries": len(sealed[1])}
        replace_file(self.path, _json(header) + b"\n" + sealed[0] + sealed[1])
        self.stale_key = False

    def _read(self, *, entries: bool) -> tuple[dict, dict | None] | None:
        try:
            with self.path.open("rb") as handle:
                header = json.loads(handle.readline())
                key = self.keys[header["key_id"]]
                if header["schema"] != SCHEMA:
                    return None
                box = nacl.secret.SecretBox(key)
                links = json.loads(box.decrypt(handle.read(header["links"])))
                part = json.loads(box.decrypt(handle.read(header["entries"]))) if entries else None
        except (OSError, ValueError, KeyError, TypeError, nacl.exceptions.CryptoError):
            return None  # missing, another key ring's, corrupt: rebuilt from the vault
        self.stale_key = header["key_id"] != self.current_key_id
        return links, part


def refresh(
    index: SealedIndex, vault: ReportVault, private_keys: Mapping[str, PrivateKey]
) -> Refreshed:
    """Bring ``index`` up to date with ``vault`` (opening only reports it lacks) and
    return every report; the index is written back only if something changed."""
    indexed = index.entries()
    held = indexed or {}
    numbers = list(vault.numbers())
    reports = {number: held[number] for number in numbers if number in held}
    new = [number for number in numbers if number not in held]
    for number in new:
        reports[number] = open_number(vault, number, private_keys)
    newly_readable = any(reports[number].content is not None for number in new)
    forgotten = len(reports) - len(new) < len(held)
    if indexed is None or newly_readable or forgotten or index.stale_key:
        index.write(reports.values())
    return Refreshed(dict(sorted(reports.items(), key=_age)), len(new))


def incident_numbers(
    number: str, index: SealedIndex, vault: ReportVault, private_keys: Mapping[str, PrivateKey]
) -> list[str]:
    """The numbers of the incident holding ``number`` (the original and every
    follow-up in its chain), from the index's links when they cover the vault; else
    the index is brought up to date first."""
    links = index.links()
    vault_numbers = set(vault.numbers())
    if links is None or not vault_numbers <= links.numbers:
        reports = refresh(index, vault, private_keys).reports
        follows = {n: r.follows for n, r in reports.items() if r.follows}
    else:
        follows = dict(links.follows)
    follows = {n: f for n, f in follows.items() if n in vault_numbers and f in vault_numbers}
    children: dict[str, list[str]] = {}
    for later, earlier in follows.items():
        children.setdefault(earlier, []).append(later)
    found, waiting = set(), [_root(number, follows)]
    while waiting:
        current = waiting.pop()
        if current not in found:
            found.add(current)
            waiting += children.get(current, [])
    return sorted(found)


def _root(number: str, follows: Mapping[str, str]) -> str:
    """The original a chain of follow-ups leads back to (loops are cut), as
    :func:`uglymugs.reports.incidents.group_incidents` finds it."""
    seen = {number}
    while number in follows and follows[number] not in seen:
        number = follows[number]
        seen.add(number)
    return number


def _age(item: tuple[str, OpenedReport]) -> tuple[str, str]:
    return (item[1].received_at, item[0])


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
