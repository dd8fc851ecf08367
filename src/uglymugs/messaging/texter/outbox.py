"""The local texter: files under the data directory's outbox, and a console line."""

from __future__ import annotations

import hashlib
import os
import secrets
import sys
import threading
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

from uglymugs.messaging.texter import OPTED_OUT_FILE, SMS_SUFFIX, _checked
from uglymugs.private_files import sync_directory, write_new_file

BATCH = 25  # SMS in one send_many call: notify records each call in one ledger write


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
    had not (SNS has no such call: each SMS there is recorded as it is sent).
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
        self._written: set[str] | None = None  # digests in the outbox, read once
        self._lock = threading.Lock()

    def send(self, to: str, text: str) -> None:
        _checked(to, text)
        self._write(to, text, secrets.token_hex(4), sync=True)

    def send_many(self, messages: Sequence[tuple[str, str]]) -> None:
        """Each ``(to, text)``, checked first (one bad message writes none), then
        written unless already in the outbox; one directory sync."""
        if len(messages) > self.batch_limit:
            raise ValueError(f"at most {self.batch_limit} SMS in one call")
        for to, text in messages:
            _checked(to, text)
        written = self._digests()
        for to, text in messages:
            digest = sms_digest(to, text)
            if digest not in written:
                self._write(to, text, digest, sync=False)
                written.add(digest)
        if messages:
            sync_directory(self.outbox)

    def _write(self, to: str, text: str, token: str, *, sync: bool) -> None:
        now = self.clock()
        # The clock may stand still (tests); nanoseconds keep names in sending order.
        name = f"{now.strftime('%Y%m%dT%H%M%SZ')}-{time.time_ns()}-{token}{SMS_SUFFIX}"
        path = self.outbox / name
        write_new_file(path, f"To: {to}\n\n{text}".encode(), sync=sync)
        self.notice(f"uglymugs: an SMS was written to {path}")

    def _digests(self) -> set[str]:
        """The digests (and random tokens) in the outbox's SMS file names, listed once."""
        with self._lock:
            if self._written is None:
                names = os.listdir(self.outbox) if self.outbox.is_dir() else []
                self._written = {
                    name.removesuffix(SMS_SUFFIX).rsplit("-", 1)[-1]
                    for name in names
                    if name.endswith(SMS_SUFFIX)
                }
            return self._written

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
