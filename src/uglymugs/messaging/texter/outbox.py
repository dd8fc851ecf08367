"""The local texter: files under the data directory's outbox, and a console line."""

from __future__ import annotations

import hashlib
import secrets
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from uglymugs.messaging.outbox_files import OutboxFiles
from uglymugs.messaging.texter import OPTED_OUT_FILE, SMS_SUFFIX, _checked
from uglymugs.private_files import write_new_file

BATCH = 500  # SMS in one send_many call: notify records each call in one ledger write


def sms_digest(to: str, text: str) -> str:
    """Names one member's copy of one SMS (the same number and words: the same)."""
    return hashlib.sha256(f"{to}\0{text}".encode()).hexdigest()[:20]


def _stderr_notice(line: str) -> None:
    print(line, file=sys.stderr)


class OutboxTexter:
    """Each SMS as a ``.sms.txt`` file (0600) in ``outbox``: a ``To:`` line, a blank
    line and the text; one console line per SMS.

    :meth:`send_many` writes up to :data:`BATCH` SMS a call with one directory sync, as
    the outbox mailer does e-mails: notify records the call in one ledger write. Each
    of those files is named by a digest of its number and text, and one already in the
    outbox is not written again, so a call repeated after a crash writes only what it
    had not (SNS has no such call: each SMS there is recorded as it is sent). Those
    files are written in place and checked on a repeated call
    (:mod:`uglymugs.messaging.outbox_files`).
    """

    batch_limit = BATCH

    def __init__(
        self,
        outbox: Path,
        notice: Callable[[str], None] = _stderr_notice,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.outbox = Path(outbox)
        self.notice = notice
        self.clock = clock
        self._files = OutboxFiles(self.outbox, SMS_SUFFIX)

    def send(self, to: str, text: str) -> None:
        _checked(to, text)
        now = self.clock()
        # The clock may stand still (tests); nanoseconds keep names in sending order.
        name = f"{now.strftime('%Y%m%dT%H%M%SZ')}-{time.time_ns()}-{secrets.token_hex(4)}"
        path = self.outbox / f"{name}{SMS_SUFFIX}"
        write_new_file(path, _file_bytes(to, text))
        self.notice(f"uglymugs: an SMS was written to {path}")

    def send_many(self, messages: Sequence[tuple[str, str]]) -> None:
        """Each ``(to, text)``, checked first (one bad message writes none), then
        written unless already in the outbox; one directory sync."""
        if len(messages) > self.batch_limit:
            raise ValueError(f"at most {self.batch_limit} SMS in one call")
        for to, text in messages:
            _checked(to, text)
        if not messages:
            return
        self._files.prepare()
        stamp = self.clock().strftime("%Y%m%dT%H%M%SZ")
        with self._files.call() as files:
            for to, text in messages:
                digest, data = sms_digest(to, text), _file_bytes(to, text)
                if files.holds(digest, data.__eq__):
                    continue
                # The clock may stand still (tests); nanoseconds keep names in sending order.
                name = f"{stamp}-{time.time_ns()}-{digest}{SMS_SUFFIX}"
                path = files.write(name, digest, data)
                self.notice(f"uglymugs: an SMS was written to {path}")

    def opted_out(self) -> frozenset[str]:
        """The numbers listed in ``outbox/sms-opted-out.txt`` (none if there is no file)."""
        try:
            lines = (self.outbox / OPTED_OUT_FILE).read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return frozenset()
        return frozenset(
            line.strip() for line in lines if line.strip() and not line.startswith("#")
        )

    def messages(self) -> list[tuple[str, str]]:
        """Every SMS in the outbox as ``(to, text)``, oldest first (for tests and ``dev``)."""
        found = []
        for path in sorted(self.outbox.glob(f"*{SMS_SUFFIX}")):
            head, _, text = path.read_text(encoding="utf-8").partition("\n\n")
            found.append((head.removeprefix("To: "), text))
        return found


def _file_bytes(to: str, text: str) -> bytes:
    """An SMS file: a ``To:`` line, a blank line and the text."""
    return f"To: {to}\n\n{text}".encode()
