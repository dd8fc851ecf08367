"""Building a packet for a partner and encrypting it to the partner's age key.

A packet is JSON (schema ``uglymugs.share/1``, documented in ``docs/sharing.md``): the
incident's reference, the allowed answers (:mod:`uglymugs.sharing.rules`), the consent
it went under, and a plain-text ``printable`` page of the same content. It is built
only when :func:`~uglymugs.sharing.rules.refusal` finds nothing in the way, so no
path (CLI, console) can build one without the consent. The ``digest`` is the SHA-256
of the exact bytes encrypted, so the ledger can name what was sent.

>>> packet = build_packet("scas", incident, partner, now)  # doctest: +SKIP
>>> encrypted = encrypt(packet, partner)  # doctest: +SKIP
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from uglymugs.reports.form import field_label, option_label
from uglymugs.sharing.age import encrypt_to
from uglymugs.sharing.rules import Refusal, allowed_answers, consent_for, refusal

if TYPE_CHECKING:
    from uglymugs.reports.incidents import Incident
    from uglymugs.sharing.partners import Partner

SCHEMA = "uglymugs.share/1"


class ShareRefusedError(Exception):
    """The rules or the consent do not allow this packet; the message is one line."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal)
        self.refusal = refusal  # the same line, translatable (sharing.rules.Refusal)


@dataclass(frozen=True)
class Packet:
    """A built packet: its JSON document and the exact bytes that are encrypted."""

    document: dict[str, Any]
    data: bytes

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def fields(self) -> tuple[str, ...]:
        return ("force_area", *self.document["answers"])


def build_packet(action: str, incident: Incident, partner: Partner, now: datetime) -> Packet:
    """The packet ``action`` sends ``partner`` about ``incident``; or :class:`ShareRefusedError`."""
    why = refusal(action, incident, partner)
    if why is not None:
        raise ShareRefusedError(why)
    consent = incident.consents.by_name(consent_for(action))
    answers = allowed_answers(action, incident)
    document: dict[str, Any] = {
        "schema": SCHEMA,
        "packet_id": str(uuid.uuid4()),
        "action": action,
        "partner": partner.id,
        "incident": incident.number,
        "created_at": now.isoformat(timespec="seconds"),
        "force_area": incident.force_area,
        "consent": {"name": consent.name, "answer": consent.answer, "source": consent.source},
        "answers": answers,
    }
    document["printable"] = printable(document)
    data = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False).encode()
    return Packet(document, data)


def printable(document: dict[str, Any]) -> str:
    """The packet as a plain-text page for a case file, English labels."""
    lines = [
        f"Ugly Mugs scheme: {document['action']} packet for {document['partner']}",
        f"Incident {document['incident']}, packet {document['packet_id']}",
        f"Created {document['created_at']}; consent {document['consent']['name']}: "
        f"{document['consent']['answer']} ({document['consent']['source']})",
        f"Force area: {document['force_area'] or 'not known'}",
        "",
    ]
    for name, value in document["answers"].items():
        lines.append(f"{field_label(name)}: {_value_text(name, value)}")
    lines += ["", "Anonymised: no name or contact details of the person are included."]
    return "\n".join(lines)


def _value_text(name: str, value: object) -> str:
    if isinstance(value, list):
        return ", ".join(option_label(name, str(item)) for item in value)
    return option_label(name, str(value)) if isinstance(value, str) else str(value)


def encrypt(packet: Packet, partner: Partner) -> bytes:
    """``packet`` encrypted to ``partner``'s age recipient (binary age format)."""
    return encrypt_to(partner.age_recipient, packet.data)
