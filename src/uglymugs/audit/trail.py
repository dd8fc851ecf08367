"""Appending to the audit trail, and checking that nothing in it was changed or removed.

Each entry carries the SHA-256 of its own fields and of the entry before it, so
changing an entry breaks its hash, and removing one leaves a gap in the sequence
numbers and a broken link. :func:`verify` reports every such break. What the chain
cannot show: the newest entries removed from the end (compare the count and head
hash :func:`verify` prints with one noted earlier), or a whole chain rewritten by
someone with write access to the store. ``docs/staff.md`` says what "who" proves.

Entries name what was done and to what, never the content: no report text, no note.

>>> entry = record(log, "Sam", "read", ["UM-7K3F-92QH-X4PM"])  # doctest: +SKIP
>>> verify(log).ok  # doctest: +SKIP
True
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from uglymugs.audit.log import AuditEntry, AuditLog

GENESIS = "0" * 64
# What staff do that the trail records.
ACTIONS = (
    "read",  # a report or incident decrypted and shown
    "list",  # the reports listed (decrypted to build the list)
    "draft",  # an alert drafted from an incident
    "propose",  # a drafted alert proposed for review (a branch pushed, a pull request)
    "share",  # a packet sent to a partner
    "reply",  # information or a request from police answered by e-mail (never the text)
    "approve",  # a member approved
    "reject",  # a member rejected
    "suspend",  # a member suspended
    "reinstate",  # a member reinstated
    "show-member",  # a member's answers shown
    "survey",  # a member survey round opened or closed, or its free comments read
    "status",  # a case's status changed
    "assign",  # a case assigned
    "note",  # a note added to a case (never its text)
    "contact",  # a contact log entry added to a case
    "publish",  # alerts published
    "link",  # a link between incidents confirmed or dismissed
    "enter",  # a report typed in by staff
    "unlock",  # the console unlocked: keys opened, every report decrypted into memory
    "lock",  # the console locked (by hand, idle, or stopped): keys and reports dropped
)
_ATTEMPTS = 20
_MAX_DETAIL = 200


class AuditError(Exception):
    """An entry that cannot be recorded (unknown action, or the log kept moving)."""


@dataclass(frozen=True)
class Verification:
    """What :func:`verify` found: how many entries, the head hash, every problem."""

    count: int
    head: str
    problems: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.problems


def entry_hash(
    sequence: int,
    at: str,
    who: str,
    action: str,
    targets: Iterable[str],
    detail: str,
    previous_hash: str,
) -> str:
    """SHA-256 over the entry's fields and the previous entry's hash (canonical JSON)."""
    fields = [sequence, at, who, action, list(targets), detail, previous_hash]
    canonical = json.dumps(fields, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("ascii")).hexdigest()


def record(
    log: AuditLog,
    who: str,
    action: str,
    targets: Iterable[str],
    detail: str = "",
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    *,
    max_detail: int = _MAX_DETAIL,
) -> AuditEntry:
    """Append one entry after the current head; retried when another append wins.

    ``max_detail``: the sharing ledger's entries carry a packet's field list."""
    if action not in ACTIONS:
        raise AuditError(f"unknown audit action {action!r}")
    targets = tuple(targets)
    detail = detail[:max_detail]
    for _ in range(_ATTEMPTS):
        head = log.last()
        sequence = head.sequence + 1 if head else 1
        previous = head.hash if head else GENESIS
        at = clock().astimezone(UTC).isoformat(timespec="microseconds")
        digest = entry_hash(sequence, at, who, action, targets, detail, previous)
        entry = AuditEntry(sequence, at, who, action, targets, detail, previous, digest)
        if log.append(entry):
            return entry
    raise AuditError("the audit log kept changing while this entry was appended; try again")


def verify(log: AuditLog) -> Verification:
    """Check every entry's hash, its link to the one before and the sequence numbers."""
    problems = []
    expected_sequence, previous, count = 1, GENESIS, 0
    for entry in log.entries():
        count += 1
        if entry.sequence != expected_sequence:
            problems.append(
                f"entry {entry.sequence}: expected entry {expected_sequence} here "
                "(entries are missing)"
            )
        if entry.previous_hash != previous:
            problems.append(f"entry {entry.sequence}: does not follow the entry before it")
        recomputed = entry_hash(
            entry.sequence,
            entry.at,
            entry.who,
            entry.action,
            entry.targets,
            entry.detail,
            entry.previous_hash,
        )
        if recomputed != entry.hash:
            problems.append(f"entry {entry.sequence}: changed after it was written")
        expected_sequence, previous = entry.sequence + 1, entry.hash
    return Verification(count, previous, tuple(problems))


def entries_for(log: AuditLog, target: str) -> list[AuditEntry]:
    """The history of one report, member or alert (an incident view's "history")."""
    return [entry for entry in log.entries() if target in entry.targets]
