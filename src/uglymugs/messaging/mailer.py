"""Sending e-mail to members: the port and its two adapters.

Locally :class:`OutboxMailer` writes each message to a file under
``<data dir>/outbox`` and prints one line saying where; on AWS :class:`SESMailer`
sends through SES v2. The console line never holds the message nor the address:
both can identify a member.

>>> mailer = OutboxMailer(settings.data_dir / "outbox")  # doctest: +SKIP
>>> mailer.send("dave@example.org", "Your application", "Thank you …")  # doctest: +SKIP
"""

from __future__ import annotations

import secrets
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any, Protocol

from uglymugs.private_files import write_new_file

# Discreet: a lock screen shows the sender's name (the scheme's name is inside messages).
DEFAULT_MAIL_FROM = "Notifications <notices@uglymugs.invalid>"
OUTBOX_DIR = "outbox"


# SES v2 takes up to 50 destinations in one SendEmail call.
SES_MAX_DESTINATIONS = 50


class Mailer(Protocol):
    """Sends one message to one address, or the same message to many."""

    # The most addresses one :meth:`send_to_many` call sends as one message the provider
    # accepts whole (notify records each such call at once, so a crash resends at most one).
    batch_limit: int

    def send(self, to: str, subject: str, text: str, html: str | None = None) -> None: ...

    def send_to_many(
        self, addresses: list[str], subject: str, text: str, html: str | None = None
    ) -> None:
        """The same message to each address; no recipient sees another's address."""
        ...


def _stderr_notice(line: str) -> None:
    print(line, file=sys.stderr)


class OutboxMailer:
    """Each message as a ``.eml`` file (0600) in ``outbox``; one console line per message.

    :meth:`send_to_many` writes one file per address, as each member would receive it:
    each file is a message of its own, so notify gives it one address at a time and
    records each as soon as it is written.
    """

    batch_limit = 1

    def __init__(
        self,
        outbox: Path,
        sender: str = DEFAULT_MAIL_FROM,
        notice: Callable[[str], None] = _stderr_notice,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.outbox = Path(outbox)
        self.sender = sender
        self.notice = notice
        self.clock = clock

    def send(self, to: str, subject: str, text: str, html: str | None = None) -> None:
        now = self.clock()
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = to
        message["Subject"] = subject
        message["Date"] = format_datetime(now)
        message_id = make_msgid(domain="uglymugs.invalid")
        message["Message-ID"] = message_id
        message.set_content(text)
        if html is not None:
            message.add_alternative(html, subtype="html")
        # The clock may stand still (tests); nanoseconds keep names in sending order.
        name = f"{now.strftime('%Y%m%dT%H%M%SZ')}-{time.time_ns()}-{secrets.token_hex(4)}.eml"
        path = self.outbox / name
        write_new_file(path, bytes(message))
        self.notice(f"uglymugs: an e-mail was written to {path}")

    def send_to_many(
        self, addresses: list[str], subject: str, text: str, html: str | None = None
    ) -> None:
        for address in addresses:
            self.send(address, subject, text, html)

    def messages(self) -> list[EmailMessage]:
        """Every message in the outbox, oldest first (for tests and ``uglymugs dev``)."""
        from email import policy
        from email.parser import BytesParser

        parser = BytesParser(policy=policy.default)
        return [
            parser.parsebytes(path.read_bytes())  # type: ignore[misc]
            for path in sorted(self.outbox.glob("*.eml"))
        ]


class SESMailer:
    """Messages through SES v2 ``SendEmail`` from ``sender`` (a verified identity).

    The same message to many members goes in one call with up to 50 addresses, all in
    ``Bcc`` so no member sees another (SES's ``SendBulkEmail`` needs a stored template
    per message and gives nothing more here). ``configuration_set`` names the SES
    configuration set whose event destination reports bounces and complaints.
    """

    batch_limit = SES_MAX_DESTINATIONS

    def __init__(
        self, sender: str, client: Any = None, configuration_set: str | None = None
    ) -> None:
        self.sender = sender
        self.configuration_set = configuration_set
        self._ses = client

    def send(self, to: str, subject: str, text: str, html: str | None = None) -> None:
        self._send({"ToAddresses": [to]}, subject, text, html)

    def send_to_many(
        self, addresses: list[str], subject: str, text: str, html: str | None = None
    ) -> None:
        if len(addresses) > self.batch_limit:
            raise ValueError(f"at most {self.batch_limit} addresses in one call")
        if len(addresses) == 1:
            self.send(addresses[0], subject, text, html)
        elif addresses:
            self._send({"BccAddresses": list(addresses)}, subject, text, html)

    def _send(
        self, destination: dict[str, list[str]], subject: str, text: str, html: str | None
    ) -> None:
        body: dict[str, Any] = {"Text": {"Data": text, "Charset": "UTF-8"}}
        if html is not None:
            body["Html"] = {"Data": html, "Charset": "UTF-8"}
        arguments: dict[str, Any] = {
            "FromEmailAddress": self.sender,
            "Destination": destination,
            "Content": {"Simple": {"Subject": {"Data": subject, "Charset": "UTF-8"}, "Body": body}},
        }
        if self.configuration_set:
            arguments["ConfigurationSetName"] = self.configuration_set
        self._client.send_email(**arguments)

    @property
    def _client(self) -> Any:
        if self._ses is None:
            import boto3

            self._ses = boto3.client("sesv2")
        return self._ses
