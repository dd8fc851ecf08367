"""E-mailing an encrypted packet to a partner, exactly once, and recording it once sent.

The message goes to the partner's contact address with the age-encrypted packet
attached; its subject and body say nothing about the incident (no number, place or
kind of share), and the attachment's name is the packet's random id, so a mail server
or a shared inbox learns only that the scheme sent the partner a file.

Each share has an **idempotency key**: the SHA-256 of the action, the partner, the
incident and exactly what the packet carries (its answers and consent, not its random
id or time). Before sending, the key is claimed in the claim ledger (the port the
report API uses); the sharing ledger records the share, with the key, only after the
mailer accepted the message. So a retry of a share that was sent finds it in the
ledger and sends nothing; two sends at once, or a retry after a crash between sending
and recording, find the claim taken and send nothing either (staff are told to check
with the partner). A send the mailer refused leaves the claim marked unsent, so a
retry sends. A packet with new content (a follow-up arrived) is a new share.

>>> outcome = email_packet(sharing, who, incident, packet, partner)  # doctest: +SKIP
>>> outcome.sent, outcome.share.sequence  # doctest: +SKIP
(True, 7)
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from uglymugs.messaging.mailer import Attachment, Mailer
from uglymugs.sharing.ledger import ShareRecord, record_share, shares_of
from uglymugs.sharing.packets import encrypt

if TYPE_CHECKING:
    from uglymugs.audit.log import AuditLog
    from uglymugs.reports.claims import IdempotencyLedger
    from uglymugs.reports.incidents import Incident
    from uglymugs.sharing.packets import Packet
    from uglymugs.sharing.partners import Partner

SUBJECT = "Encrypted file from the scheme"
BODY = """\
An encrypted file is attached for you.

Open it with the age tool and your organisation's age identity, as the scheme's
partner guide explains. Please do not forward this message. If the file does not
open, reply to this address.
"""
AGE_CONTENT_TYPE = "application/octet-stream"
# What a claim is bound to after the mailer refused the message: a retry may send.
UNSENT = "unsent"


class ShareInFlightError(Exception):
    """This share was claimed by another send (now, or one that stopped before recording)."""


@dataclass(frozen=True)
class SendingServices:
    """What e-mailing a packet needs: the ledger, the claim ledger and the mailer."""

    ledger: AuditLog
    claims: IdempotencyLedger
    mailer: Mailer


@dataclass(frozen=True)
class EmailOutcome:
    """The share as the ledger holds it, and whether this call sent it (False: a retry)."""

    share: ShareRecord
    sent: bool


def share_key(packet: Packet) -> str:
    """The share's idempotency key: what goes, to whom, about which incident."""
    document = packet.document
    essence = {
        "action": document["action"],
        "partner": document["partner"],
        "incident": document["incident"],
        "force_area": document["force_area"],
        "consent": document["consent"],
        "answers": document["answers"],
    }
    canonical = json.dumps(essence, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(b"uglymugs.share-key/1\n" + canonical.encode()).hexdigest()


def attachment_for(packet: Packet, partner: Partner) -> Attachment:
    """The encrypted packet as a file named by its random id only."""
    return Attachment(
        f"{packet.document['packet_id']}.json.age", encrypt(packet, partner), AGE_CONTENT_TYPE
    )


def email_packet(
    services: SendingServices, who: str, incident: Incident, packet: Packet, partner: Partner
) -> EmailOutcome:
    """Send ``packet`` to ``partner``'s contact unless this share went already; record it."""
    key = share_key(packet)
    earlier = _sent_before(services.ledger, incident, key)
    if earlier is not None:
        return EmailOutcome(earlier, sent=False)
    claim_key = f"share:{key}"
    claim = services.claims.claim(claim_key, packet.digest, incident.number)
    if not claim.created_now:
        if claim.report_number != UNSENT:
            raise ShareInFlightError(
                "this share was started before and not recorded as sent; it may have gone. "
                f"Ask {partner.id} whether it arrived before sending it again"
            )
        services.claims.rebind(claim_key, incident.number)
    try:
        services.mailer.send_with_attachment(
            partner.contact, SUBJECT, BODY, attachment_for(packet, partner)
        )
    except Exception:
        services.claims.rebind(claim_key, UNSENT)  # the mailer refused it: a retry may send
        raise
    share = record_share(services.ledger, who, incident, packet, partner, route="email", key=key)
    return EmailOutcome(share, sent=True)


def _sent_before(ledger: AuditLog, incident: Incident, key: str) -> ShareRecord | None:
    for share in shares_of(ledger, incident.numbers):
        if share.key == key:
            return share
    return None
