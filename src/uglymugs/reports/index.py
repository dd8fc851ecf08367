"""The staff-side report index: what lists need of every report, sealed with the case key.

``reports list`` and ``reports show`` used to decrypt the whole vault on every run (at
10,000 reports, seconds of public-key decryption to print one report). The index keeps,
for every readable report, its envelope (number, time, key id, type, reporter, what it
follows, who entered it) and the few answers lists and consents need
(:data:`INDEXED_ANSWERS`: dates, place, categories, consents, contact preference), never
free text. Beside them it keeps every incident's summary as ``reports list`` prints it
(:meth:`uglymugs.reports.incidents.Incident.summary`: the consents already resolved,
no free text but the town the entries hold too), so listing neither regroups the vault
nor resolves consents again: only the incidents a new (or vanished, or unreadable)
report changes are worked out afresh. It is stored on the staff machine
(``data_dir/index/``), sealed with the current case key (secretbox), so at rest it is
ciphertext like the vault it describes.

It is brought up to date, never trusted: every use lists the vault, opens only the
reports the index does not hold yet, forgets those the vault no longer has, and
writes the index back (atomically) only when something changed. A missing index, one
that does not open with this key ring, or one of another format is rebuilt from the
vault: so is one of an older format (:data:`SCHEMA` changes whenever what is stored,
or how a summary is worked out, does). The vault is write-once, so an indexed report
never changes.

The file is one JSON header line, then three sealed parts: the *links* (every indexed
number and what each follows up, small), the *entries* and the *incidents* (summaries
by original report number, over the indexed reports). ``reports show`` reads only the
links to find a report's incident, then opens those reports from the vault;
``reports list`` reads the links and the incidents, and the entries only when an
incident has to be worked out again (:func:`list_incidents`).

>>> index = SealedIndex(index_path(data_dir, None), case_keys)  # doctest: +SKIP
>>> reports = refresh(index, vault, private_keys).reports  # doctest: +SKIP
>>> listing = list_incidents(index, vault, private_keys)  # doctest: +SKIP
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nacl.exceptions
import nacl.secret
from nacl.public import PrivateKey

from uglymugs.private_files import replace_file
from uglymugs.reports.consent import CONSENTS
from uglymugs.reports.incidents import group_incidents, incident_from
from uglymugs.reports.reading import OpenedReport, open_number
from uglymugs.reports.vault import ReportVault

SCHEMA = "uglymugs.report-index/2"
PARTS = ("links", "entries", "incidents")
# An incident's summary is stored as a JSON array in this order (the consents as
# [answer, allowed] in CONSENTS' order): half the bytes of the object, half the parsing.
SUMMARY_KEYS = ("number", "numbers", "received_at", "last_received_at", "report_type")
SUMMARY_KEYS += ("who_reported", "incident_date", "force_area", "force_area_source", "town")
SUMMARY_KEYS += ("categories", "consents", "wants_contact", "contact_preference", "problem")
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


@dataclass(frozen=True)
class Listing:
    """What ``reports list`` shows: every incident's summary (oldest first), how many
    reports the vault holds, and those that could not be opened (oldest first)."""

    incidents: Sequence[Mapping[str, Any]]
    report_count: int
    unreadable: list[OpenedReport]


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
    """The index file at ``path``, opened and sealed with the case key ring.

    The entries and incidents parts are *keyed lines* (``NUMBER<TAB>JSON``, one a
    report or incident), so a reader parses only the lines it needs, and a writer
    passes the lines that did not change through as they were."""

    def __init__(self, path: Path, case_keys: Mapping[str, bytes]) -> None:
        self.path = Path(path)
        self.keys = dict(case_keys)
        self.current_key_id = list(case_keys)[-1]
        self.stale_key = False  # sealed with an older case key: rewrite when refreshed

    def links(self) -> Links | None:
        """The links part, or None when there is no index this key ring opens."""
        opened = self.read("links")
        return None if opened is None else opened["links"]

    def entries(self) -> dict[str, OpenedReport] | None:
        """Every indexed report (slim), or None when there is no index this key ring opens."""
        opened = self.read("entries")
        return None if opened is None else opened["entries"]

    def read(self, *names: str) -> dict[str, Any] | None:
        """The parts named (of :data:`PARTS`), decrypted and parsed: the links as
        :class:`Links`, the entries as slim reports and the incidents as summaries, by
        number. None when there is no index this key ring opens."""
        raw = self.raw(*names)
        if raw is None:
            return None
        parse = {"links": _links, "entries": _entries, "incidents": _summaries}
        try:
            return {name: parse[name](part) for name, part in raw.items()}
        except (ValueError, KeyError, TypeError):
            return None  # not what this version writes: rebuilt from the vault

    def raw(self, *names: str) -> dict[str, Any] | None:
        """The parts named, decrypted: the links parsed, the others as keyed lines
        (number → the line's JSON, unparsed); the parts not named are skipped unread."""
        parts: dict[str, Any] = {}
        try:
            with self.path.open("rb") as handle:
                header = json.loads(handle.readline())
                key = self.keys[header["key_id"]]
                if header["schema"] != SCHEMA:
                    return None
                box = nacl.secret.SecretBox(key)
                for name in PARTS:
                    if name not in names:
                        handle.seek(header[name], 1)
                        continue
                    plain = box.decrypt(handle.read(header[name]))
                    parts[name] = json.loads(plain) if name == "links" else _keyed_lines(plain)
        except (OSError, ValueError, KeyError, TypeError, nacl.exceptions.CryptoError):
            return None  # missing, another key ring's, corrupt: rebuilt from the vault
        self.stale_key = header["key_id"] != self.current_key_id
        return parts

    def write(
        self,
        reports: Iterable[OpenedReport],
        incidents: Mapping[str, Mapping[str, Any]] | None = None,
    ) -> None:
        """Seal the readable ones of ``reports`` (slimmed) as the whole index, with the
        summaries of the incidents they make (worked out here unless given, by
        original number)."""
        readable = [slim(report) for report in reports if report.content is not None]
        if incidents is None:
            incidents = {i.number: i.summary() for i in group_incidents(readable)}
        follows = {r.report_number: r.follows for r in readable if r.follows}
        entries = {r.report_number: _entry(r) for r in readable}
        lines = {number: _summary_line(summary) for number, summary in incidents.items()}
        self.seal(follows, entries, lines)

    def seal(
        self,
        follows: Mapping[str, str],
        entries: Mapping[str, bytes],
        incidents: Mapping[str, bytes],
    ) -> None:
        """Write the index: ``follows`` (report → the report it follows, normalised),
        and the entries and incidents as keyed lines (JSON already encoded)."""
        links = _json({"numbers": list(entries), "follows": dict(follows)})
        box = nacl.secret.SecretBox(self.keys[self.current_key_id])
        parts = (links, _join_lines(entries), _join_lines(incidents))
        sealed = [bytes(box.encrypt(part)) for part in parts]
        header: dict[str, Any] = {"schema": SCHEMA, "key_id": self.current_key_id}
        header |= {name: len(part) for name, part in zip(PARTS, sealed, strict=True)}
        replace_file(self.path, _json(header) + b"\n" + b"".join(sealed))
        self.stale_key = False


def refresh(
    index: SealedIndex, vault: ReportVault, private_keys: Mapping[str, PrivateKey]
) -> Refreshed:
    """Bring ``index`` up to date with ``vault`` (opening only reports it lacks) and
    return every report; the index is written back only if something changed."""
    opened = index.read(*PARTS)  # every part, so that damage anywhere means a rebuild
    indexed = opened["entries"] if opened else None
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


def list_incidents(
    index: SealedIndex, vault: ReportVault, private_keys: Mapping[str, PrivateKey]
) -> Listing:
    """Every incident's summary for ``reports list``, from the index's stored summaries:
    only the reports the index lacks are opened, and only the incidents whose reports
    differ from what the index holds are worked out again (from the entries of just
    their reports). The index is written back only if something changed, passing the
    lines that did not change through unparsed."""
    numbers = list(vault.numbers())
    opened = index.raw("links", "incidents")
    try:
        links = _links(opened["links"]) if opened else Links(frozenset(), {})
        lines: dict[str, bytes] = opened["incidents"] if opened else {}
        stored = _summaries(lines)
    except (ValueError, KeyError, TypeError):  # not what this version writes: rebuilt
        opened, links, lines, stored = None, Links(frozenset(), {}), {}, {}
    fresh = {n: open_number(vault, n, private_keys) for n in numbers if n not in links.numbers}
    present = set(numbers)
    forgotten = not links.numbers <= present
    follows = {n: f for n, f in links.follows.items() if n in present}
    follows |= {n: report.follows for n, report in fresh.items() if report.follows}
    reports = _Reports(index, fresh, lambda n: open_number(vault, n, private_keys))
    readable = [n for n in numbers if n in links.numbers or fresh[n].content is not None]
    indexed = _regroup(readable, follows, stored, reports)
    newly_readable = any(report.content is not None for report in fresh.values())
    if opened is None or newly_readable or forgotten or index.stale_key:
        unchanged = {root: lines[root] for root in indexed if indexed[root] is stored.get(root)}
        incidents = {root: unchanged.get(root) or _summary_line(s) for root, s in indexed.items()}
        index.seal(follows, reports.entry_lines(readable), incidents)
    shown = (
        indexed if len(readable) == len(numbers) else _regroup(numbers, follows, indexed, reports)
    )
    listed = sorted(shown.values(), key=lambda s: (s["received_at"], s["number"]))
    unreadable = [report for report in fresh.values() if report.content is None]
    unreadable.sort(key=lambda report: (report.received_at, report.report_number))
    return Listing(listed, len(numbers), unreadable)


class _Reports:
    """The reports :func:`list_incidents` may need: the newly opened ones, and the
    index's entries, decrypted only when an incident has to be worked out again and
    parsed one by one (a report the entries lack, which a sound index never does, is
    opened from the vault)."""

    def __init__(
        self,
        index: SealedIndex,
        fresh: Mapping[str, OpenedReport],
        opener: Callable[[str], OpenedReport],
    ) -> None:
        self.index, self.fresh, self.opener = index, fresh, opener
        self.held: dict[str, bytes] | None = None

    def __getitem__(self, number: str) -> OpenedReport:
        if number in self.fresh:
            return self.fresh[number]
        line = self._held().get(number)
        return self.opener(number) if line is None else _entry_report(number, line)

    def entry_lines(self, numbers: Iterable[str]) -> dict[str, bytes]:
        """The entries of ``numbers`` (all readable) as keyed lines, held ones as they were."""
        held = self._held()
        return {n: held.get(n) or _entry(slim(self[n])) for n in numbers}

    def _held(self) -> dict[str, bytes]:
        if self.held is None:
            raw = self.index.raw("entries")
            self.held = held = raw["entries"] if raw else {}
            return held
        return self.held


def _regroup(
    numbers: list[str],
    follows: Mapping[str, str],
    stored: Mapping[str, Mapping[str, Any]],
    reports: _Reports,
) -> dict[str, Mapping[str, Any]]:
    """The incidents ``numbers`` make, by original number, each one's stored summary
    kept (the same object) when it holds exactly the same reports, else worked out
    from the reports."""
    inside = set(numbers)
    within = {n: f for n, f in follows.items() if n in inside and f in inside}
    groups: dict[str, list[str]] = {}
    for number in numbers:
        groups.setdefault(_root(number, within), []).append(number)
    incidents: dict[str, Mapping[str, Any]] = {}
    for root, members in groups.items():
        summary = stored.get(root)
        if summary is None or not _same(summary["numbers"], members):
            summary = incident_from(root, [reports[n] for n in members]).summary()
        incidents[root] = summary
    return incidents


def _same(numbers: list[str], others: list[str]) -> bool:
    return numbers == others or sorted(numbers) == sorted(others)


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


def _links(part: Mapping[str, Any]) -> Links:
    return Links(frozenset(part["numbers"]), dict(part["follows"]))


def _entries(lines: Mapping[str, bytes]) -> dict[str, OpenedReport]:
    parsed = json.loads(b"[" + b",".join(lines.values()) + b"]")
    return {
        number: OpenedReport(number, received_at, key_id, content)
        for number, (received_at, key_id, content) in zip(lines, parsed, strict=True)
    }


def _entry(report: OpenedReport) -> bytes:
    return _json([report.received_at, report.key_id, report.content])


def _entry_report(number: str, line: bytes) -> OpenedReport:
    received_at, key_id, content = json.loads(line)
    return OpenedReport(number, received_at, key_id, content)


def _summaries(lines: Mapping[str, bytes]) -> dict[str, dict[str, Any]]:
    """The incidents' summaries, by original number (parsed as one JSON array)."""
    parsed = json.loads(b"[" + b",".join(lines.values()) + b"]")
    summaries = {}
    for number, values in zip(lines, parsed, strict=True):
        summary = dict(zip(SUMMARY_KEYS, values, strict=True))
        summary["consents"] = {
            name: {"answer": answer, "allowed": allowed}
            for name, (answer, allowed) in zip(CONSENTS, summary["consents"], strict=True)
        }
        summaries[number] = summary
    return summaries


def _summary_line(summary: Mapping[str, Any]) -> bytes:
    """``summary`` as :func:`_summaries` reads it back (the same keys, in order)."""
    if tuple(summary) != SUMMARY_KEYS or tuple(summary["consents"]) != CONSENTS:
        raise ValueError(f"an incident summary has other fields than {SUMMARY_KEYS}")
    consents = [[c["answer"], c["allowed"]] for c in summary["consents"].values()]
    return _json([consents if key == "consents" else summary[key] for key in SUMMARY_KEYS])


def _keyed_lines(plain: bytes) -> dict[str, bytes]:
    """``NUMBER<TAB>JSON`` lines as number → JSON (JSON never holds a raw line break)."""
    pairs = (line.split(b"\t", 1) for line in plain.split(b"\n") if line)
    return {number.decode("ascii"): value for number, value in pairs}


def _join_lines(lines: Mapping[str, bytes]) -> bytes:
    return b"".join(
        number.encode("ascii") + b"\t" + value + b"\n" for number, value in lines.items()
    )


def _age(item: tuple[str, OpenedReport]) -> tuple[str, str]:
    return (item[1].received_at, item[0])


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
