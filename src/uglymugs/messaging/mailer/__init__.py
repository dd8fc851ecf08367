"""Sending e-mail to members (and packets to partners): the port.

Adapters: :mod:`.outbox` writes each message to a file under ``<data dir>/outbox`` and
prints one line saying where; :mod:`.ses` sends through SES v2. The console line never
holds the message nor the address: both can identify a member. The composition root
(:mod:`uglymugs.composition`) chooses one from the settings.

>>> mailer = OutboxMailer(settings.data_dir / "outbox")  # doctest: +SKIP
>>> mailer.send("dave@example.org", "Your application", "Thank you …")  # doctest: +SKIP
>>> mailer.send_with_attachment(partner.contact, "Packet", "…", packet_file)  # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Protocol

# Discreet: a lock screen shows the sender's name (the scheme's name is inside messages).
DEFAULT_MAIL_FROM = "Notifications <notices@uglymugs.invalid>"
OUTBOX_DIR = "outbox"


# SES v2 takes up to 50 destinations in one SendEmail call.
SES_MAX_DESTINATIONS = 50


@dataclass(frozen=True)
class Attachment:
    """A file sent with a message (an age-encrypted packet to a partner)."""

    filename: str
    data: bytes
    content_type: str = "application/octet-stream"


class Mailer(Protocol):
    """Sends one message to one address, or the same message to many."""

    # The most addresses one :meth:`send_to_many` call sends as one message the provider
    # accepts whole (notify records each such call at once, so a crash resends at most one).
    batch_limit: int

    def send(self, to: str, subject: str, text: str, html: str | None = None) -> None: ...

    def send_with_attachment(
        self, to: str, subject: str, text: str, attachment: Attachment
    ) -> None:
        """One plain-text message to one address, with one file attached."""
        ...

    def send_to_many(
        self, addresses: list[str], subject: str, text: str, html: str | None = None
    ) -> None:
        """The same message to each address; no recipient sees another's address."""
        ...


def build_message(
    sender: str,
    to: str,
    subject: str,
    text: str,
    html: str | None = None,
    attachment: Attachment | None = None,
) -> EmailMessage:
    """A MIME message: text, an HTML alternative, or a file attached (multipart/mixed).

    The SES adapter sends the same bytes as a raw message when there is an attachment.
    """
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="uglymugs.invalid")
    message.set_content(text)
    if html is not None:
        message.add_alternative(html, subtype="html")
    if attachment is not None:
        maintype, _, subtype = attachment.content_type.partition("/")
        message.add_attachment(
            attachment.data, maintype=maintype, subtype=subtype, filename=attachment.filename
        )
    return message
