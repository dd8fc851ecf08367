"""The local mailer: files under the data directory's outbox, and a console line."""

from __future__ import annotations

import secrets
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from uglymugs.messaging.mailer import DEFAULT_MAIL_FROM, Attachment, build_message
from uglymugs.private_files import write_new_file


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
        message = build_message(self.sender, to, subject, text, html)
        self._write(message)

    def send_with_attachment(
        self, to: str, subject: str, text: str, attachment: Attachment
    ) -> None:
        self._write(build_message(self.sender, to, subject, text, attachment=attachment))

    def _write(self, message: EmailMessage) -> None:
        now = self.clock()
        message["Date"] = format_datetime(now)
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
