"""The local mailer: files under the data directory's outbox, and a console line."""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

from uglymugs.messaging.mailer import DEFAULT_MAIL_FROM, Attachment, build_message
from uglymugs.private_files import sync_directory, write_new_file

BATCH = 50  # addresses in one send_to_many call, as SES takes in one message
# An address the e-mail package writes as it is (ASCII, no quoting, never folded): its
# copy of a message is the shared copy with its own To, Message-ID and Date.
_PLAIN_ADDRESS = re.compile(
    r"[A-Za-z0-9_%+-]+(\.[A-Za-z0-9_%+-]+)*@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+"
)
_LONGEST_PLAIN = 70
_TO_MARK = "to-mark@uglymugs-copy.invalid"
_ID_MARK = "<id-mark@uglymugs-copy.invalid>"
_DATE_MARK = datetime(2000, 1, 1, tzinfo=UTC)
MSGID_DOMAIN = "uglymugs.invalid"


def message_digest(to: str, subject: str, text: str, html: str | None) -> str:
    """Names one member's copy of one message (the same address and words: the same)."""
    parts = (to, subject, text, html or "")
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()[:20]


def _stderr_notice(line: str) -> None:
    print(line, file=sys.stderr)


class OutboxMailer:
    """Each message as a ``.eml`` file (0600) in ``outbox``; one console line per message.

    :meth:`send_to_many` writes one file per address, as each member would receive it,
    up to :data:`BATCH` addresses a call, with one directory sync per call: notify
    records the call in one ledger write (as it does SES's 50 in ``Bcc``). Each file's
    name ends with a digest of its address and message, and a message already in the
    outbox is not written again, so a call repeated after a crash writes only what it
    had not: the outbox never holds one member's message twice.
    """

    batch_limit = BATCH

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
        self._written: set[str] | None = None  # digests in the outbox, read once
        self._lock = threading.Lock()

    def send(self, to: str, subject: str, text: str, html: str | None = None) -> None:
        message = build_message(self.sender, to, subject, text, html)
        self._write(message, token=secrets.token_hex(4))
        sync_directory(self.outbox)

    def send_with_attachment(
        self, to: str, subject: str, text: str, attachment: Attachment
    ) -> None:
        message = build_message(self.sender, to, subject, text, attachment=attachment)
        self._write(message, token=secrets.token_hex(4))
        sync_directory(self.outbox)

    def send_to_many(
        self, addresses: list[str], subject: str, text: str, html: str | None = None
    ) -> None:
        if len(addresses) > self.batch_limit:
            raise ValueError(f"at most {self.batch_limit} addresses in one call")
        written = self._digests()
        copies = _Copies(self.sender, subject, text, html)
        for address in addresses:
            digest = message_digest(address, subject, text, html)
            if digest not in written:
                self._write_bytes(copies.for_address(address, self.clock()), token=digest)
                written.add(digest)
        if addresses:
            sync_directory(self.outbox)

    def _write(self, message: EmailMessage, token: str) -> None:
        now = self.clock()
        message["Date"] = format_datetime(now)
        self._write_bytes((bytes(message), now), token)

    def _write_bytes(self, message: tuple[bytes, datetime], token: str) -> None:
        data, now = message
        # The clock may stand still (tests); nanoseconds keep names in sending order.
        name = f"{now.strftime('%Y%m%dT%H%M%SZ')}-{time.time_ns()}-{token}.eml"
        path = self.outbox / name
        write_new_file(path, data, sync=False)
        self.notice(f"uglymugs: an e-mail was written to {path}")

    def _digests(self) -> set[str]:
        """The digests in the outbox's file names (listed once per mailer)."""
        with self._lock:
            if self._written is None:
                names = os.listdir(self.outbox) if self.outbox.is_dir() else []
                self._written = {
                    name.removesuffix(".eml").rsplit("-", 1)[-1]
                    for name in names
                    if name.endswith(".eml")
                }
            return self._written

    def messages(self) -> list[EmailMessage]:
        """Every message in the outbox, oldest first (for tests and ``uglymugs dev``)."""
        from email import policy
        from email.parser import BytesParser

        parser = BytesParser(policy=policy.default)
        return [
            parser.parsebytes(path.read_bytes())  # type: ignore[misc]
            for path in sorted(self.outbox.glob("*.eml"))
        ]


class _Copies:
    """One message's copies for many addresses, built by the e-mail package once.

    Building and serialising a MIME message is most of the outbox's work per member
    (header parsing, folding, a boundary regex). Every member's copy is the same but
    for its To, Message-ID and Date, so the message is serialised once with markers in
    those three headers and each copy replaces them; an address the e-mail package
    would quote, encode or fold gets a message built for it alone."""

    def __init__(self, sender: str, subject: str, text: str, html: str | None) -> None:
        self.parts = (sender, subject, text, html)
        self.head: bytes | None = None
        self.body = b""

    def for_address(self, address: str, now: datetime) -> tuple[bytes, datetime]:
        """The bytes of ``address``'s copy, dated ``now``."""
        if len(address) > _LONGEST_PLAIN or not _PLAIN_ADDRESS.fullmatch(address):
            message = build_message(self.parts[0], address, *self.parts[1:])
            message["Date"] = format_datetime(now)
            return bytes(message), now
        if self.head is None:
            self._serialise()
        assert self.head is not None  # noqa: S101 - just serialised
        head = self.head.replace(_TO_MARK.encode(), address.encode())
        head = head.replace(_ID_MARK.encode(), make_msgid(domain=MSGID_DOMAIN).encode())
        head = head.replace(format_datetime(_DATE_MARK).encode(), format_datetime(now).encode())
        return head + self.body, now

    def _serialise(self) -> None:
        message = build_message(self.parts[0], _TO_MARK, *self.parts[1:])
        message.replace_header("Message-ID", _ID_MARK)
        message["Date"] = format_datetime(_DATE_MARK)
        self.head, separator, body = bytes(message).partition(b"\n\n")
        self.body = separator + body
