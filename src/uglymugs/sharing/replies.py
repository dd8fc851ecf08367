"""Answering information or a request from police through the mailer, exactly once.

A "From police" submission (``uglymugs.partner/1``) is answered to a partner of the
directory (``partners/*.yaml``, checked by ``uglymugs partners check``), never to the
contact the submission typed: anyone can use the public partner form, so an answer
goes only to an address staff reviewed in git, after they confirmed the request
through that partner. The reply is encrypted to the partner's age key and attached,
like a packet; the message's subject and body say nothing but that a file is attached.

Each reply has an **idempotency key**: the SHA-256 of the submission, the partner,
the reply's digest and a token (the console's form carries one per page, so a
double click or a resent form is the same reply; the command uses none, so the same
text to the same partner about the same submission is one reply). The key is claimed
in the claim ledger before the mailer is called and marked sent once it accepted the
message: a second send finds it and sends nothing; one that stopped between sending
and marking is not sent again (:class:`ReplyInFlightError`); one the mailer refused
may be retried. The claim ledger keeps a key for a day.

What is recorded (audit log, case record) is who, when, to which partner and the
reply's digest: never its text. Nothing here logs.

>>> reply = prepare_reply(incident, partners, "example-gmp-hub", "Circulated.")  # doctest: +SKIP
>>> send_reply(claims, mailer, reply)  # doctest: +SKIP
True
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from uglymugs.cases.records import REPLIED_PARTNER, CaseConflictError, CaseError
from uglymugs.i18n import N_
from uglymugs.messaging.mailer import Attachment, Mailer
from uglymugs.sharing.age import encrypt_to
from uglymugs.sharing.rules import Refusal
from uglymugs.sharing.sending import AGE_CONTENT_TYPE, UNSENT

if TYPE_CHECKING:
    from datetime import datetime

    from uglymugs.cases.records import Casework
    from uglymugs.reports.claims import IdempotencyLedger
    from uglymugs.reports.incidents import Incident
    from uglymugs.sharing.partners import Partner

MAX_REPLY = 10_000  # characters, as a case note
_SAVE_ATTEMPTS = 3
SUBJECT = "A reply from the scheme"
BODY = """\
A reply from the scheme is attached, encrypted for you.

Open it with the age tool and your organisation's age identity, as the scheme's
partner guide explains. Please do not forward this message.
"""
# What a claim is bound to once the mailer accepted the reply.
SENT = "sent"


class ReplyRefusedError(ValueError):
    """A reply that cannot go: ``field`` names the input, ``refusal`` the rule."""

    def __init__(self, field: str, refusal: Refusal) -> None:
        super().__init__(f"{field}: {refusal}")
        self.field = field
        self.refusal = refusal


class ReplyInFlightError(Exception):
    """This reply was claimed by another send that has not been marked as sent."""


@dataclass(frozen=True)
class Reply:
    """A checked reply: to whom, about which submission, and its key and digest."""

    item: str  # the submission's report number
    numbers: tuple[str, ...]
    partner: Partner
    text: str
    digest: str  # SHA-256 of the reply's UTF-8 bytes: what the records name
    key: str

    def record_detail(self) -> str:
        """What the audit log and the case record say: the partner and the digest."""
        return f"reply to {self.partner.id} by e-mail, digest {self.digest[:16]}"


def new_token() -> str:
    """A token for one reply form: a double click or a resent form sends once."""
    return secrets.token_hex(16)


def prepare_reply(
    incident: Incident,
    partners: Mapping[str, Partner],
    partner_id: str,
    text: str,
    token: str = "",
) -> Reply:
    """The reply, checked; :class:`ReplyRefusedError` names the field and the rule."""
    if incident.who_reported != "police":
        raise ReplyRefusedError(
            "item", Refusal(N_("only information or a request from police is answered here"))
        )
    partner_id = partner_id.strip()
    if not partner_id:
        raise ReplyRefusedError("to", Refusal(N_("choose the partner to answer")))
    partner = partners.get(partner_id)
    if partner is None:
        raise ReplyRefusedError(
            "to",
            Refusal(
                N_("no partner %(partner)s in the directory passes partners check"),
                partner=repr(partner_id[:64]),
            ),
        )
    if not partner.contact:
        raise ReplyRefusedError(
            "to", Refusal(N_("%(partner)s has no contact address"), partner=partner.id)
        )
    text = text.strip()
    if not text:
        raise ReplyRefusedError("reply", Refusal(N_("write the reply")))
    if len(text) > MAX_REPLY:
        raise ReplyRefusedError(
            "reply",
            Refusal(N_("the reply must be at most %(limit)d characters"), limit=MAX_REPLY),
        )
    digest = hashlib.sha256(text.encode()).hexdigest()
    key = _key(incident, partner, digest, token)
    return Reply(incident.number, incident.numbers, partner, text, digest, key)


def send_reply(claims: IdempotencyLedger, mailer: Mailer, reply: Reply) -> bool:
    """Send ``reply`` unless it went already (False); claimed before the mailer is called."""
    claim_key = f"reply:{reply.key}"
    claim = claims.claim(claim_key, reply.digest, reply.item)
    if not claim.created_now:
        if claim.report_number == SENT:
            return False
        if claim.report_number != UNSENT:
            raise ReplyInFlightError(
                "this reply was started before and not marked as sent; it may have gone. "
                f"Ask {reply.partner.id} whether it arrived before sending it again"
            )
        claims.rebind(claim_key, reply.item)
    try:
        mailer.send_with_attachment(reply.partner.contact, SUBJECT, BODY, _attachment(reply))
    except Exception:
        claims.rebind(claim_key, UNSENT)  # the mailer refused it: a retry may send
        raise
    claims.rebind(claim_key, SENT)
    return True


def log_reply(casework: Casework, reply: Reply, by: str, at: datetime) -> None:
    """Add the reply (partner and digest, never the text) to the case's contact log;
    a case someone saved meanwhile gets the entry added to their version."""
    for _ in range(_SAVE_ATTEMPTS):
        record = casework.load(reply.item)
        try:
            casework.save(record.with_contact(REPLIED_PARTNER, by, at, reply.record_detail()), by)
            return
        except CaseConflictError:
            continue
    raise CaseError(f"case {reply.item} kept changing; log the reply to {reply.partner.id} by hand")


def _attachment(reply: Reply) -> Attachment:
    text = f"Re: {reply.item}\n\n{reply.text}\n"
    data = encrypt_to(reply.partner.age_recipient, text.encode())
    return Attachment(f"reply-{secrets.token_hex(8)}.txt.age", data, AGE_CONTENT_TYPE)


def _key(incident: Incident, partner: Partner, digest: str, token: str) -> str:
    essence = "\n".join(("uglymugs.reply-key/1", incident.number, partner.id, digest, token))
    return hashlib.sha256(essence.encode()).hexdigest()
