"""Case records: what staff know and did about an incident, sealed before it is stored.

A case record holds the incident's status, who it is assigned to, notes, and a
contact log (called back, referred to a support service, referred to police). It is
serialised to JSON and sealed with the current case key (secretbox, from the staff
key ring) on the staff machine; the store sees only ciphertext, the incident number
and a version. :class:`Casework` loads and saves records; saving a record that
someone else saved in the meantime raises :class:`CaseConflictError` carrying the
newer record, and nothing is overwritten.

>>> casework = Casework(store, unlock_case_keys(keys_dir, passphrase), clock)  # doctest: +SKIP
>>> record = casework.load("UM-7K3F-92QH-X4PM")  # doctest: +SKIP
>>> casework.save(record.with_status("in_progress"))  # doctest: +SKIP
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import nacl.exceptions
import nacl.secret

from uglymugs.cases.store import CaseStore, SealedCase, StaleVersionError

SCHEMA = "uglymugs.case/1"
NEW, IN_PROGRESS, ALERT_DRAFTED, SHARED, CLOSED = (
    "new",
    "in_progress",
    "alert_drafted",
    "shared",
    "closed",
)
STATUSES = (NEW, IN_PROGRESS, ALERT_DRAFTED, SHARED, CLOSED)
CONTACT_KINDS = ("called_back", "referred_support", "referred_police")
# Logged by the reply itself (uglymugs.sharing.replies), never chosen by hand.
REPLIED_PARTNER = "replied_partner"
LINK_DECISIONS = ("confirmed", "dismissed")
ALERT_PREFIX = "alert "  # a link's other side when it is a published alert, not an incident
MAX_TEXT = 10_000


class CaseError(Exception):
    """A change to a case that is not allowed (unknown status, empty note, …)."""


class CaseConflictError(CaseError):
    """Someone saved the case since it was loaded; ``newer`` is the record as it is now."""

    def __init__(self, newer: CaseRecord) -> None:
        who = newer.saved_by or "someone"
        super().__init__(
            f"case {newer.number} was saved by {who} at {newer.saved_at} (version "
            f"{newer.version}) since you opened it; nothing was overwritten: look at "
            "theirs and make your change again"
        )
        self.newer = newer


class CaseKeyError(CaseError):
    """A stored record that no case key in the ring opens (corrupt, or another ring)."""


@dataclass(frozen=True)
class Note:
    at: str
    by: str
    text: str


@dataclass(frozen=True)
class ContactEntry:
    """One contact with the person or on their behalf: ``kind`` is one of
    :data:`CONTACT_KINDS`."""

    at: str
    by: str
    kind: str
    text: str = ""


@dataclass(frozen=True)
class LinkDecision:
    """A caseworker's decision on a suggested link to another incident (or an alert)."""

    other: str
    decision: str  # one of LINK_DECISIONS
    at: str
    by: str
    reason: str = ""  # why a caseworker linked two incidents the tool never suggested


@dataclass(frozen=True)
class CaseRecord:
    """An incident's case. ``version`` 0: never saved."""

    number: str
    status: str = NEW
    assignee: str | None = None
    notes: tuple[Note, ...] = ()
    contacts: tuple[ContactEntry, ...] = ()
    links: tuple[LinkDecision, ...] = ()  # latest decision per other incident wins
    version: int = 0
    saved_at: str | None = None
    saved_by: str | None = None

    def with_status(self, status: str) -> CaseRecord:
        if status not in STATUSES:
            raise CaseError(f"status must be one of: {', '.join(STATUSES)}")
        return replace(self, status=status)

    def with_assignee(self, assignee: str | None) -> CaseRecord:
        assignee = (assignee or "").strip() or None
        return replace(self, assignee=assignee)

    def with_note(self, text: str, by: str, at: datetime) -> CaseRecord:
        return replace(self, notes=(*self.notes, Note(_stamp(at), by, _text(text, "a note"))))

    def with_contact(self, kind: str, by: str, at: datetime, text: str = "") -> CaseRecord:
        if kind not in (*CONTACT_KINDS, REPLIED_PARTNER):
            raise CaseError(f"a contact must be one of: {', '.join(CONTACT_KINDS)}")
        text = text.strip()
        if len(text) > MAX_TEXT:
            raise CaseError(f"the contact note must be at most {MAX_TEXT} characters")
        return replace(self, contacts=(*self.contacts, ContactEntry(_stamp(at), by, kind, text)))

    def with_link(
        self, other: str, decision: str, by: str, at: datetime, reason: str = ""
    ) -> CaseRecord:
        if decision not in LINK_DECISIONS:
            raise CaseError(f"a link decision must be one of: {', '.join(LINK_DECISIONS)}")
        if len(reason) > MAX_TEXT:
            raise CaseError(f"the reason must be at most {MAX_TEXT} characters")
        entry = LinkDecision(other, decision, _stamp(at), by, reason.strip())
        return replace(self, links=(*self.links, entry))

    def link_decisions(self) -> dict[str, LinkDecision]:
        """The latest decision on each other incident."""
        return {entry.other: entry for entry in self.links}

    def as_dict(self) -> dict[str, Any]:
        """The record JSON-ready (what is sealed, plus the version it was saved at)."""
        return {
            "schema": SCHEMA,
            "number": self.number,
            "status": self.status,
            "assignee": self.assignee,
            "notes": [vars(note) for note in self.notes],
            "contacts": [vars(entry) for entry in self.contacts],
            "links": [vars(entry) for entry in self.links],
            "version": self.version,
            "saved_at": self.saved_at,
            "saved_by": self.saved_by,
        }


class Casework:
    """Load and save case records through a store, sealed with the case key ring."""

    def __init__(
        self,
        store: CaseStore,
        case_keys: Mapping[str, bytes],
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        if not case_keys:
            raise CaseKeyError("no case key: run uglymugs keys add-case-key")
        self.store = store
        self.keys = dict(case_keys)
        self.current_key_id = list(case_keys)[-1]
        self.clock = clock

    def load(self, number: str) -> CaseRecord:
        """The incident's case record; a new one (version 0) when none is stored."""
        sealed = self.store.get(number)
        return self.open(sealed) if sealed else CaseRecord(number)

    def all(self) -> dict[str, CaseRecord]:
        """Every stored case record by incident number."""
        return {sealed.number: self.open(sealed) for sealed in self.store.all()}

    def save(self, record: CaseRecord, by: str) -> CaseRecord:
        """Store ``record`` as the next version after the one it was loaded at; the
        saved record. Raises :class:`CaseConflictError` when that is no longer current."""
        saved = replace(
            record,
            version=record.version + 1,
            saved_at=_stamp(self.clock()),
            saved_by=by,
        )
        try:
            self.store.put(self.seal(saved))
        except StaleVersionError as error:
            newer = self.open(error.current) if error.current.ciphertext else record
            raise CaseConflictError(newer) from None
        return saved

    def seal(self, record: CaseRecord) -> SealedCase:
        plaintext = json.dumps(record.as_dict(), ensure_ascii=False).encode("utf-8")
        box = nacl.secret.SecretBox(self.keys[self.current_key_id])
        return SealedCase(
            record.number,
            record.version,
            self.current_key_id,
            bytes(box.encrypt(plaintext)),
            record.saved_at or "",
        )

    def open(self, sealed: SealedCase) -> CaseRecord:
        key = self.keys.get(sealed.key_id)
        if key is None:
            raise CaseKeyError(
                f"case {sealed.number} is sealed with {sealed.key_id}, not in this key ring"
            )
        try:
            data = json.loads(nacl.secret.SecretBox(key).decrypt(sealed.ciphertext))
        except (nacl.exceptions.CryptoError, ValueError):
            raise CaseKeyError(f"case {sealed.number} does not open (corrupt)") from None
        if data.get("schema") != SCHEMA or data.get("number") != sealed.number:
            raise CaseKeyError(f"case {sealed.number} holds another case's record")
        return _from_dict(data, sealed.version)


def _from_dict(data: Mapping[str, Any], version: int) -> CaseRecord:
    return CaseRecord(
        number=data["number"],
        status=data["status"],
        assignee=data.get("assignee"),
        notes=tuple(Note(**note) for note in data.get("notes", [])),
        contacts=tuple(ContactEntry(**entry) for entry in data.get("contacts", [])),
        links=tuple(LinkDecision(**entry) for entry in data.get("links", [])),
        version=version,
        saved_at=data.get("saved_at"),
        saved_by=data.get("saved_by"),
    )


def _text(text: str, what: str) -> str:
    text = text.strip()
    if not text:
        raise CaseError(f"{what} must not be empty")
    if len(text) > MAX_TEXT:
        raise CaseError(f"{what} must be at most {MAX_TEXT} characters")
    return text


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def mark_alert_drafted(casework: Casework, number: str, by: str) -> CaseRecord | None:
    """Move an incident's case to ``alert_drafted`` when an alert is drafted from it, if
    it is new or in progress (a case already shared or closed keeps its status); the
    saved record, or None when nothing changed."""
    record = casework.load(number)
    if record.status not in (NEW, IN_PROGRESS):
        return None
    return casework.save(record.with_status(ALERT_DRAFTED), by)


def decide_link(
    casework: Casework, one: str, other: str, decision: str, by: str, reason: str = ""
) -> tuple[CaseRecord, CaseRecord]:
    """Record ``decision`` on the link between incidents ``one`` and ``other`` (or an
    alert, named ``alert 2026-0008``: then in ``one``'s case only) in both
    cases (so a confirmed link shows on both); a save someone else made meanwhile is
    read again and the decision added to it (decisions only add, so none is lost).
    ``reason`` is the caseworker's, when they link two incidents never suggested."""
    first = _add_link(casework, one, other, decision, by, reason)
    if other.startswith(ALERT_PREFIX):  # an alert has no case: the incident's record it is
        return first, first
    return first, _add_link(casework, other, one, decision, by, reason)


def _add_link(
    casework: Casework, number: str, other: str, decision: str, by: str, reason: str
) -> CaseRecord:
    for _attempt in range(3):
        record = casework.load(number)
        try:
            linked = record.with_link(other, decision, by, casework.clock(), reason)
            return casework.save(linked, by)
        except CaseConflictError:
            continue
    raise CaseError(f"case {number} kept changing while the link was recorded; try again")


def link_decisions(records: Mapping[str, CaseRecord]) -> dict[frozenset[str], str]:
    """Every pair's latest decision across the case records: ``{pair: decision}``."""
    return {pair: entry.decision for pair, entry in _latest_links(records).items()}


def _latest_links(records: Mapping[str, CaseRecord]) -> dict[frozenset[str], LinkDecision]:
    found: dict[frozenset[str], LinkDecision] = {}
    for number, record in records.items():
        for entry in record.links:
            pair = frozenset((number, entry.other))
            if pair not in found or found[pair].at <= entry.at:
                found[pair] = entry
    return found


def linked_by_hand(records: Mapping[str, CaseRecord]) -> dict[frozenset[str], str]:
    """Pairs a caseworker linked with a reason of their own (still confirmed): ``{pair: reason}``.

    These were never suggested, or not strongly: ``uglymugs links`` and the console
    show them as confirmed links whatever the evidence says.
    """
    return {
        pair: entry.reason
        for pair, entry in _latest_links(records).items()
        if entry.decision == "confirmed" and entry.reason
    }
