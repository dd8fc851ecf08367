"""The local mailer: files under the data directory's outbox, and a console line."""

from __future__ import annotations

import hashlib
import os
import secrets
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from uglymugs.messaging.mailer import DEFAULT_MAIL_FROM, Attachment, build_message
from uglymugs.private_files import sync_directory, write_new_file

BATCH = 50  # addresses in one send_to_many call, as SES takes in one message


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
        for address in addresses:
            digest = message_digest(address, subject, text, html)
            if digest not in written:
                message = build_message(self.sender, address, subject, text, html)
                self._write(message, token=digest)
                written.add(digest)
        if addresses:
            sync_directory(self.outbox)

    def _write(self, message: EmailMessage, token: str) -> None:
        now = self.clock()
        message["Date"] = format_datetime(now)
        # The clock may stand still (tests); nanoseconds keep names in sending order.
        name = f"{now.strftime('%Y%m%dT%H%M%SZ')}-{time.time_ns()}-{token}.eml"
        path = self.outbox / name
        write_new_file(path, bytes(message), sync=False)
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
