"""The sharing ledger: every packet sent, to whom, when, by whom, under which consent.

It is a hash chain kept with :mod:`uglymugs.audit.trail` (the same entries, hashing
and verification as the audit log, in its own chain: ``composition.sharing_ledger``).
An entry's ``targets`` are the incident's report numbers; its ``detail`` is a JSON
:class:`ShareRecord` without the incident: the action, partner, packet id and digest,
the list of fields sent and the consent answer with the report it came from. Never a
field's value.

When the person later withdraws a consent, :func:`to_ask_for_deletion` lists the
shares that went under it, so staff can ask those partners to delete the packet.

>>> record_share(ledger, "Sam", incident, packet, partner)  # doctest: +SKIP
>>> [share.partner for share in shares_of(ledger, incident.numbers)]  # doctest: +SKIP
['example-scas']
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING

from uglymugs.audit.trail import Verification, record, verify

if TYPE_CHECKING:
    from uglymugs.audit.log import AuditEntry, AuditLog
    from uglymugs.reports.incidents import Incident
    from uglymugs.sharing.packets import Packet
    from uglymugs.sharing.partners import Partner

_MAX_DETAIL = 4000  # a record with every field name is about 800 characters


@dataclass(frozen=True)
class ShareRecord:
    """One share as the ledger holds it (``at``, ``who``, ``sequence`` from the entry)."""

    incident: str
    numbers: tuple[str, ...]
    action: str
    partner: str
    packet_id: str
    digest: str
    fields: tuple[str, ...]
    consent: str
    consent_answer: str | None
    consent_source: str | None
    route: str = "file"  # how it went: "file" (staff sent it) or "email" (the mailer)
    key: str = ""  # the idempotency key of an e-mailed share (sharing.sending)
    at: str = ""
    who: str = ""
    sequence: int = 0

    def as_dict(self) -> dict[str, object]:
        return {**asdict(self), "numbers": list(self.numbers), "fields": list(self.fields)}


def record_share(
    ledger: AuditLog,
    who: str,
    incident: Incident,
    packet: Packet,
    partner: Partner,
    *,
    route: str = "file",
    key: str = "",
) -> ShareRecord:
    """Append the share of ``packet`` to ``partner``; the entry it became, as a record."""
    document = packet.document
    detail = {
        "action": document["action"],
        "partner": partner.id,
        "packet_id": document["packet_id"],
        "digest": packet.digest,
        "fields": list(packet.fields),
        "consent": document["consent"]["name"],
        "consent_answer": document["consent"]["answer"],
        "consent_source": document["consent"]["source"],
        "route": route,
    }
    if key:
        detail["key"] = key
    entry = record(
        ledger,
        who,
        "share",
        incident.numbers,
        json.dumps(detail, separators=(",", ":")),
        max_detail=_MAX_DETAIL,
    )
    return _from_entry(entry)


def shares(ledger: AuditLog) -> list[ShareRecord]:
    """Every share, oldest first."""
    return [_from_entry(entry) for entry in ledger.entries()]


def shares_of(ledger: AuditLog, numbers: Iterable[str]) -> list[ShareRecord]:
    """The shares of an incident (any of its report numbers)."""
    wanted = set(numbers)
    return [share for share in shares(ledger) if wanted.intersection(share.numbers)]


def to_ask_for_deletion(ledger: AuditLog, incident: Incident) -> list[ShareRecord]:
    """The shares of ``incident`` made under a consent that no longer allows them."""
    return [
        share
        for share in shares_of(ledger, incident.numbers)
        if not incident.consents.by_name(share.consent).allowed
    ]


def verify_ledger(ledger: AuditLog) -> Verification:
    """The audit trail's chain check, over the ledger."""
    return verify(ledger)


def _from_entry(entry: AuditEntry) -> ShareRecord:
    detail = json.loads(entry.detail)
    return ShareRecord(
        incident=entry.targets[0],
        numbers=tuple(entry.targets),
        action=detail["action"],
        partner=detail["partner"],
        packet_id=detail["packet_id"],
        digest=detail["digest"],
        fields=tuple(detail["fields"]),
        consent=detail["consent"],
        consent_answer=detail["consent_answer"],
        consent_source=detail["consent_source"],
        route=detail.get("route", "file"),
        key=detail.get("key", ""),
        at=entry.at,
        who=entry.who,
        sequence=entry.sequence,
    )
