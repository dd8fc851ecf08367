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
writes back only when something changed. A missing index, one that does not open
with this key ring, or one of another format is rebuilt from the vault: so is one of
an older format (:data:`SCHEMA` changes whenever what is stored, or how a summary is
worked out, does). The vault is write-once, so an indexed report never changes.

A file is one JSON header line, then three sealed parts: the *links* (every indexed
number and what each follows up, small), the *entries* and the *incidents* (summaries
by original report number, over the indexed reports). ``reports show`` reads only the
links to find a report's incident, then opens those reports from the vault (the links
also record the digest of the vault's listing the last list saw, :class:`Listed`: while
the vault lists the same, show takes the index's numbers as the vault's instead of
checking 10,000 of them);
``reports list`` reads the links and the incidents, and the entries only when an
incident has to be worked out again (:func:`list_incidents`). The index is a base
file and the segments a list adds after it, each with only what changed, so a list
after ten new reports seals those ten, not the whole index again; past a few
segments the base is rewritten with them folded in (:class:`SealedIndex`).

>>> index = SealedIndex(index_path(data_dir, None), case_keys)  # doctest: +SKIP
>>> listing = list_incidents(index, vault, private_keys)  # doctest: +SKIP
"""

from __future__ import annotations

import contextlib
import json
import secrets
import time
from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import compress
from pathlib import Path
from typing import Any

import nacl.exceptions
import nacl.secret
from nacl.public import PrivateKey

from uglymugs.private_files import TEMPORARY_PREFIX, replace_file
from uglymugs.reports.consent import CONSENTS
from uglymugs.reports.incidents import group_incidents, incident_from
from uglymugs.reports.reading import OpenedReport, open_number
from uglymugs.reports.vault import ReportVault

SCHEMA = "uglymugs.report-index/4"
PARTS = ("links", "entries", "incidents")
# A segment's incident line for an incident that is gone (its original now follows
# another report, or its reports regrouped).
TOMBSTONE = b"null"
# The base is rewritten (the segments folded in) past this many segments, or when they
# hold more than 1/SEGMENT_SHARE of its bytes.
MOST_SEGMENTS = 16
SEGMENT_SHARE = 4
# ``reports show`` searches the indexed numbers' text this many times, then splits it.
SEARCHES = 64
# A temporary file this old in the index's folder was left by a crash.
LEFTOVER_SECONDS = 3600
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
class Listed:
    """The vault as a list saw it: the digest of its listing
    (:meth:`~uglymugs.reports.vault.ReportVault.listing_digest`) and the numbers in it
    the index does not hold (reports that could not be opened). With the indexed
    numbers, that is every number the vault held, so while the vault's digest is the
    same, ``reports show`` needs no other listing."""

    digest: str
    unindexed: tuple[str, ...]


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
    """The index at ``path``, opened and sealed with the case key ring.

    The entries and incidents parts are *keyed lines* (``NUMBER<TAB>JSON``, one a
    report or incident), so a reader parses only the lines it needs, and a writer
    passes the lines that did not change through as they were.

    The index is a *base* file and the *segments* written after it (``PATH.1``,
    ``PATH.2``, …): each segment holds only what a list added (the new reports' links
    and entries, the incidents they changed, and a ``null`` line for an incident that
    is gone), so ten new reports seal ten entries, not ten thousand. A segment names
    its base's random *generation* and its place in the sequence, inside the sealed
    links as well as in its header; a reader applies the segments of its base in
    order and stops at the first missing or foreign one. Every write is a whole file
    renamed into place after an fsync (:func:`uglymugs.private_files.replace_file`),
    so a crash leaves the old files or the new. Rewriting the base (*compacting*,
    :meth:`seal`) gives it a new generation before the old segments are removed, so
    segments left behind by a crash are foreign and ignored. Segments are facts about
    write-once reports and summaries checked against their reports on use: one lost
    (two writers racing for the same place) only means those reports are opened again.

    ``on_step`` hears each durable step (``"segment"``, ``"base"``,
    ``"segment removed"``) as it is done: tests stop a write there, as a crash would."""

    def __init__(
        self,
        path: Path,
        case_keys: Mapping[str, bytes],
        on_step: Callable[[str], None] | None = None,
    ) -> None:
        self.path = Path(path)
        self.keys = dict(case_keys)
        self.current_key_id = list(case_keys)[-1]
        self.stale_key = False  # sealed with an older case key: rewrite when refreshed
        self.on_step = on_step or (lambda step: None)
        # What the last read found: the base's generation and size, and its segments'.
        self.generation: str | None = None
        self.base_bytes = 0
        self.segments = 0
        self.segment_bytes = 0
        self.most_segments, self.segment_share = MOST_SEGMENTS, SEGMENT_SHARE
        # The base's generation and the ids of the segments applied, when the links were
        # read: a recorded listing holds for exactly these (Listed).
        self.chain: list[str] | None = None

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

    def raw(self, *names: str, numbers_text: bool = False) -> dict[str, Any] | None:
        """The parts named, decrypted, the base's with its segments' applied: the links
        parsed (its numbers a list, or with ``numbers_text`` left as their text, one a
        line), the others as keyed lines (number → the line's JSON, unparsed); the
        parts not named are skipped unread."""
        try:
            header, parts = self._open(self.path, names)
            generation, stale = header["generation"], header["key_id"] != self.current_key_id
            if "links" in parts and parts["links"]["generation"] != generation:
                return None  # a header that does not match its sealed links
            base_bytes, segments, segment_bytes = header["size"], 0, 0
            gone: set[str] = set()
            chain = [generation]
            while opened := self._segment(segments + 1, generation, names):
                added, size = opened
                _apply(parts, added, gone)
                chain.append(added["links"]["id"] if "links" in added else None)
                stale = stale or added["key_id"] != self.current_key_id
                segments, segment_bytes = segments + 1, segment_bytes + size
        except (OSError, ValueError, KeyError, TypeError, nacl.exceptions.CryptoError):
            return None  # missing, another key ring's, corrupt: rebuilt from the vault
        if "incidents" in parts:
            for number in gone:
                if parts["incidents"].get(number) == TOMBSTONE:
                    del parts["incidents"][number]
        self.generation, self.base_bytes, self.stale_key = generation, base_bytes, stale
        self.segments, self.segment_bytes = segments, segment_bytes
        if "links" in parts:
            self.chain = parts["links"]["chain"] = chain
            if not numbers_text:
                text = parts["links"].pop("numbers_text")
                parts["links"]["numbers"] = text.split("\n") if text else []
        return parts

    def _open(self, path: Path, names: Sequence[str]) -> tuple[dict[str, Any], dict[str, Any]]:
        """The header (with the file's ``size``) and the parts named of the file at ``path``."""
        parts: dict[str, Any] = {}
        with path.open("rb") as handle:
            header = json.loads(handle.readline())
            if header["schema"] != SCHEMA:
                raise ValueError("another format")
            box = nacl.secret.SecretBox(self.keys[header["key_id"]])
            size = handle.tell()
            for name in PARTS:
                size += header[name]
                if name not in names:
                    handle.seek(header[name], 1)
                    continue
                plain = box.decrypt(handle.read(header[name]))
                parts[name] = _links_part(plain) if name == "links" else _keyed_lines(plain)
        header["size"] = size
        return header, parts

    def _segment(
        self, place: int, generation: str, names: Sequence[str]
    ) -> tuple[dict[str, Any], int] | None:
        """Segment ``place`` of the base of ``generation`` (its parts named, plus its
        ``key_id``) and its size, or None when there is none: missing, or left by an
        earlier base."""
        try:
            header, parts = self._open(self.segment_path(place), names)
        except FileNotFoundError:
            return None
        if (header.get("base"), header.get("place")) != (generation, place):
            return None  # left behind when the base was rewritten: a crash, or a race
        links = parts.get("links", {"base": generation, "place": place})
        if (links["base"], links["place"]) != (generation, place):
            raise ValueError("a segment's header does not match its sealed links")
        return {**parts, "key_id": header["key_id"]}, header["size"]

    def segment_path(self, place: int) -> Path:
        return self.path.with_name(f"{self.path.name}.{place}")

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

    def add(
        self,
        reports: Mapping[str, OpenedReport],
        incidents: Mapping[str, Mapping[str, Any]],
    ) -> None:
        """Bring the index up to ``reports`` (every report in the vault, all readable)
        and the summaries of the incidents they make (by original number), as the staff
        console holds them: a segment with the reports the index lacks and the
        incidents they are in; the whole index when it has to be rewritten anyway."""
        opened = self.raw("links")
        try:
            links = _links(opened["links"]) if opened else None
        except (KeyError, TypeError):
            links = None
        if links is None or self.stale_key or self.wants_compacting():
            self.write(reports.values(), incidents)
            return
        if not links.numbers <= reports.keys():  # reports gone from the vault
            self.write(reports.values(), incidents)
            return
        added = [slim(reports[n]) for n in reports if n not in links.numbers]
        if not added:
            return
        numbers = {report.report_number for report in added}
        changed = [s for s in incidents.values() if not numbers.isdisjoint(s["numbers"])]
        # An original that arrived after its follow-up: the follow-up is no longer one.
        lines: dict[str, bytes | None] = {
            n: None for summary in changed for n in summary["numbers"] if n != summary["number"]
        }
        lines |= {summary["number"]: _summary_line(summary) for summary in changed}
        follows = {report.report_number: report.follows for report in added if report.follows}
        self.append(follows, {report.report_number: _entry(report) for report in added}, lines)

    def seal(
        self,
        follows: Mapping[str, str],
        entries: Mapping[str, bytes],
        incidents: Mapping[str, bytes],
        listing: Listed | None = None,
    ) -> None:
        """Write the whole index as a new base (a new generation), then remove the
        segments: ``follows`` (report → the report it follows, normalised), the
        entries and incidents as keyed lines (JSON already encoded), and the
        :class:`Listed` vault the entries were brought up to (None: not known)."""
        generation = secrets.token_hex(8)
        links = {"numbers": list(entries), "follows": dict(follows), "generation": generation}
        links["listing"] = _listing(listing, [generation])
        data = self._sealed({"generation": generation}, links, entries, incidents)
        replace_file(self.path, data)
        self.on_step("base")
        self.chain = [generation]
        self.generation, self.base_bytes, self.segments, self.segment_bytes = (
            generation,
            len(data),
            0,
            0,
        )
        self.stale_key = False
        self._remove_leftovers()

    def append(
        self,
        follows: Mapping[str, str],
        entries: Mapping[str, bytes],
        incidents: Mapping[str, bytes | None],
        listing: Listed | None = None,
    ) -> None:
        """Write what changed since the last read as the next segment: the new reports'
        links and entries, the incidents changed (None for one that is gone), and the
        :class:`Listed` vault the index now describes (None: not known)."""
        place, segment_id = self.segments + 1, secrets.token_hex(8)
        chain = None if self.chain is None else [*self.chain, segment_id]
        links = {"numbers": list(entries), "follows": dict(follows), "id": segment_id}
        links |= {"base": self.generation, "place": place, "listing": _listing(listing, chain)}
        lines = {number: TOMBSTONE if line is None else line for number, line in incidents.items()}
        data = self._sealed({"base": self.generation, "place": place}, links, entries, lines)
        replace_file(self.segment_path(place), data)
        self.on_step("segment")
        self.chain = chain
        self.segments, self.segment_bytes = place, self.segment_bytes + len(data)

    def wants_compacting(self) -> bool:
        """Whether the next write should rewrite the base instead of adding a segment:
        more than :data:`MOST_SEGMENTS` of them, or together more than
        1/:data:`SEGMENT_SHARE` of the base (each is read on every use)."""
        too_many = self.segments >= self.most_segments
        return too_many or self.segment_bytes * self.segment_share > self.base_bytes

    def _sealed(
        self,
        header: dict[str, Any],
        links: Mapping[str, Any],
        entries: Mapping[str, bytes],
        incidents: Mapping[str, bytes],
    ) -> bytes:
        box = nacl.secret.SecretBox(self.keys[self.current_key_id])
        parts = (_sealed_links(links), _join_lines(entries), _join_lines(incidents))
        sealed = [bytes(box.encrypt(part)) for part in parts]
        header = {"schema": SCHEMA, "key_id": self.current_key_id, **header}
        header |= {name: len(part) for name, part in zip(PARTS, sealed, strict=True)}
        return _json(header) + b"\n" + b"".join(sealed)

    def _remove_leftovers(self) -> None:
        """Remove every segment (the base just written has none yet) and temporary
        files a crash left over an hour ago (a younger one may be another writer's)."""
        name = self.path.name
        for path in self.path.parent.glob(f"{name}.*"):
            if path.name[len(name) + 1 :].isdigit():
                path.unlink(missing_ok=True)
                self.on_step("segment removed")
        too_old = time.time() - LEFTOVER_SECONDS
        for path in self.path.parent.glob(f"{TEMPORARY_PREFIX}*-{name}*"):
            with contextlib.suppress(OSError):
                if path.stat().st_mtime < too_old:
                    path.unlink()


def _apply(parts: dict[str, Any], added: Mapping[str, Any], gone: set[str]) -> None:
    """Add a segment's parts to the parts read so far (``gone`` collects the incidents
    it marks as gone: they are dropped once every segment is applied)."""
    if "links" in parts:
        texts = (parts["links"]["numbers_text"], added["links"]["numbers_text"])
        parts["links"]["numbers_text"] = "\n".join(text for text in texts if text)
        parts["links"]["follows"] |= added["links"]["follows"]
        parts["links"]["listing"] = added["links"].get("listing")  # the latest write's
    if "entries" in parts:
        parts["entries"] |= added["entries"]
    if "incidents" in parts:
        parts["incidents"] |= added["incidents"]
        gone.update(n for n, line in added["incidents"].items() if line == TOMBSTONE)


def list_incidents(
    index: SealedIndex, vault: ReportVault, private_keys: Mapping[str, PrivateKey]
) -> Listing:
    """Every incident's summary for ``reports list``, from the index's stored summaries:
    only the reports the index lacks are opened, and only the incidents whose reports
    differ from what the index holds are worked out again (from the entries of just
    their reports). The index is written back only if something changed, passing the
    lines that did not change through unparsed. It also records the vault's listing
    digest (:class:`Listed`) when that changed, for ``reports show``."""
    numbers, digest = vault.numbers_and_digest()
    opened = index.raw("links", "incidents")
    try:
        links = _links(opened["links"]) if opened else Links(frozenset(), {})
        lines: dict[str, bytes] = opened["incidents"] if opened else {}
        stored = _summaries(lines)
        recorded = _recorded(opened["links"]) if opened else None
    except (ValueError, KeyError, TypeError):  # not what this version writes: rebuilt
        opened, links, lines, stored, recorded = None, Links(frozenset(), {}), {}, {}, None
    fresh = {n: open_number(vault, n, private_keys) for n in numbers if n not in links.numbers}
    present = set(numbers)
    forgotten = not links.numbers <= present
    follows = {n: f for n, f in links.follows.items() if n in present}
    follows |= {n: report.follows for n, report in fresh.items() if report.follows}
    reports = _Reports(index, fresh, lambda n: open_number(vault, n, private_keys))
    readable = [n for n in numbers if n in links.numbers or fresh[n].content is not None]
    indexed = _regroup(readable, follows, stored, reports)
    newly_readable = any(report.content is not None for report in fresh.values())
    unindexed = tuple(n for n, report in fresh.items() if report.content is None)
    listing = Listed(digest, unindexed) if digest is not None else None
    changed = newly_readable or (listing is not None and listing != recorded)
    if opened is None or forgotten or index.stale_key or (changed and index.wants_compacting()):
        unchanged = {root: lines[root] for root in indexed if indexed[root] is stored.get(root)}
        incidents = {root: unchanged.get(root) or _summary_line(s) for root, s in indexed.items()}
        index.seal(follows, reports.entry_lines(readable), incidents, listing)
    elif changed:
        _append(index, fresh, indexed, stored, listing)
    shown = (
        indexed if len(readable) == len(numbers) else _regroup(numbers, follows, indexed, reports)
    )
    listed = sorted(shown.values(), key=lambda s: (s["received_at"], s["number"]))
    unreadable = [report for report in fresh.values() if report.content is None]
    unreadable.sort(key=lambda report: (report.received_at, report.report_number))
    return Listing(listed, len(numbers), unreadable)


def _append(
    index: SealedIndex,
    fresh: Mapping[str, OpenedReport],
    incidents: Mapping[str, Mapping[str, Any]],
    stored: Mapping[str, Mapping[str, Any]],
    listing: Listed | None,
) -> None:
    """Add to ``index`` a segment with what a list changed: the newly readable reports,
    the incidents whose summary is not the stored one, the stored ones now gone, and
    the vault's listing."""
    added = [slim(report) for report in fresh.values() if report.content is not None]
    follows = {report.report_number: report.follows for report in added if report.follows}
    entries = {report.report_number: _entry(report) for report in added}
    changed: dict[str, bytes | None] = {
        root: _summary_line(summary)
        for root, summary in incidents.items()
        if summary is not stored.get(root)
    }
    changed |= {root: None for root in stored if root not in incidents}
    index.append(follows, entries, changed, listing)


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
    follow-up in its chain), from the index's links and the reports the index lacks
    (opened to read what they follow; the next list adds them to the index: regrouping
    every incident here took a second at 10,000). Without an index, it is built first.

    Everything here grows with the vault, so it is kept to one listing: while its
    digest is the one the last list recorded (:class:`Listed`), the vault holds just
    the numbers the index names; else the numbers are listed unsorted, checking only
    the names the index lacks."""
    links = _stored_links(index)
    if links is None:
        list_incidents(index, vault, private_keys)
        links = _stored_links(index) or ("", {}, None)
    numbers_text, follows, recorded = links
    vault_numbers: Container[object]
    if recorded is not None and vault.listing_digest() == recorded.digest:
        vault_numbers = _Numbers(numbers_text, recorded.unindexed)
        missing = sorted(recorded.unindexed)  # opened again: the keys may open them now
    else:
        indexed = numbers_text.split("\n") if numbers_text else []
        vault_numbers = vault.number_set(indexed)
        missing = sorted(vault_numbers.difference(indexed))
    if missing:
        follows = dict(follows)
        for later in missing:
            if earlier := open_number(vault, later, private_keys).follows:
                follows[later] = earlier
    # Only links between reports the vault holds count (as group_incidents sees them;
    # loops are cut): back to the original, then its follow-ups a generation at a
    # time, one pass over the links each (in C: a pass in Python took a millisecond).
    root, seen = number, {number}
    while (earlier := follows.get(root)) is not None:
        if earlier not in vault_numbers or earlier in seen:
            break
        root = earlier
        seen.add(root)
    laters, earliers = list(follows), list(follows.values())
    found = generation = {root}
    while generation:
        following = compress(laters, map(generation.__contains__, earliers))
        generation = {n for n in following if n in vault_numbers and n not in found}
        found = found | generation
    return sorted(found)


def _stored_links(index: SealedIndex) -> tuple[str, dict[str, str], Listed | None] | None:
    """The indexed numbers (their text, one a line), what each follow-up follows and
    the vault's listing as the last list recorded it, as the links part holds them;
    None when there is no index this key ring opens."""
    opened = index.raw("links", numbers_text=True)
    if opened is None:
        return None
    links = opened["links"]
    numbers, follows = links.get("numbers_text"), links.get("follows")
    if not isinstance(numbers, str) or not isinstance(follows, dict):
        return None  # not what this version writes: rebuilt from the vault
    return numbers, follows, _recorded(links)


class _Numbers:
    """The numbers the index holds (their text, one a line) and ``others``, for the
    few look-ups one incident's chain needs: searched in the text rather than split
    into a set (that alone took longer than listing the vault); a set after
    :data:`SEARCHES` look-ups, for an incident of hundreds of reports."""

    def __init__(self, text: str, others: Iterable[str]) -> None:
        self.padded, self.others = f"\n{text}\n", set(others)
        self.searches = 0
        self.held: set[str] | None = None

    def __contains__(self, number: object) -> bool:
        if not isinstance(number, str) or not number or not _plain(number):
            return False
        if number in self.others:
            return True
        if self.held is None:
            self.searches += 1
            if self.searches <= SEARCHES:
                return f"\n{number}\n" in self.padded
            self.held = set(self.padded.strip("\n").split("\n"))
        return number in self.held


def _root(number: str, follows: Mapping[str, str]) -> str:
    """The original a chain of follow-ups leads back to (loops are cut), as
    :func:`uglymugs.reports.incidents.group_incidents` finds it."""
    seen = {number}
    while number in follows and follows[number] not in seen:
        number = follows[number]
        seen.add(number)
    return number


def _sealed_links(links: Mapping[str, Any]) -> bytes:
    """The links part as stored: a JSON line with the rest, then every number on a
    line of its own (well-formed numbers, as the vault listed them), a NUL, and a
    ``LATER<TAB>EARLIER`` line for each follow-up (the JSON line keeps those whose
    text could break a line: what a report follows may be any text it held). At
    10,000 reports that parses in a third of the time of one JSON document, and
    ``reports show`` searches the numbers without splitting them at all."""
    numbers, follows = links["numbers"], links["follows"]
    lined = {later: e for later, e in follows.items() if _plain(later) and _plain(e)}
    rest = {name: value for name, value in links.items() if name not in ("numbers", "follows")}
    rest["follows"] = {later: e for later, e in follows.items() if later not in lined}
    numbers_text = "\n".join(numbers)
    if not _plain(numbers_text.replace("\n", "")):
        raise ValueError("a report number in the index holds a line break")
    follows_text = "\n".join(f"{later}\t{earlier}" for later, earlier in lined.items())
    text = _json(rest).decode("utf-8") + "\n" + numbers_text + "\0" + follows_text
    return text.encode("utf-8")


def _plain(text: str) -> bool:
    """Whether ``text`` holds none of the characters the links part separates with
    (a report number never does: it is checked before it is indexed)."""
    return "\n" not in text and "\t" not in text and "\0" not in text


def _links_part(plain: bytes) -> dict[str, Any]:
    """The links part as :func:`_sealed_links` wrote it, as a dict: the numbers as
    their text (``numbers_text``, line by line; :meth:`SealedIndex.raw` splits it),
    what each follow-up follows as a dict."""
    first, _, rest = plain.decode("utf-8").partition("\n")
    numbers_text, _, follows_text = rest.partition("\0")
    links = json.loads(first)
    if follows_text:
        pairs = follows_text.replace("\t", "\n").split("\n")
        links["follows"] |= dict(zip(pairs[::2], pairs[1::2], strict=True))
    links["numbers_text"] = numbers_text
    return links


def _listing(listing: Listed | None, chain: list[str] | None) -> dict[str, Any] | None:
    """``listing`` as the links part stores it, with the ``chain`` of writes (base
    generation, segment ids) it was made over; None when either is not known."""
    if listing is None or chain is None:
        return None
    return {"digest": listing.digest, "unindexed": list(listing.unindexed), "over": chain}


def _recorded(part: Mapping[str, Any]) -> Listed | None:
    """The :class:`Listed` vault the links part (all its segments applied) records:
    None when there is none, or it was made over other writes than those read (two
    writers racing for a segment's place: the index may lack what that listing saw)."""
    listing, chain = part.get("listing"), part.get("chain")
    if not isinstance(listing, dict) or not isinstance(chain, list) or None in chain:
        return None
    if listing.get("over") != chain:
        return None
    digest, unindexed = listing.get("digest"), listing.get("unindexed")
    if not isinstance(digest, str) or not isinstance(unindexed, list):
        return None
    return Listed(digest, tuple(unindexed))


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


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
