"""The local texter: files under the data directory's outbox, and a console line."""

from __future__ import annotations

import secrets
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from uglymugs.messaging.texter import OPTED_OUT_FILE, SMS_SUFFIX, _checked
from uglymugs.private_files import write_new_file


def _stderr_notice(line: str) -> None:
    print(line, file=sys.stderr)


class OutboxTexter:
    """Each SMS as a ``.sms.txt`` file (0600) in ``outbox``: a ``To:`` line, a blank
    line and the text; one console line per SMS."""

    def __init__(
        self,
        outbox: Path,
        notice: Callable[[str], None] = _stderr_notice,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.outbox = Path(outbox)
        self.notice = notice
        self.clock = clock

    def send(self, to: str, text: str) -> None:
        _checked(to, text)
        now = self.clock()
        # The clock may stand still (tests); nanoseconds keep names in sending order.
        name = (
            f"{now.strftime('%Y%m%dT%H%M%SZ')}-{time.time_ns()}-{secrets.token_hex(4)}{SMS_SUFFIX}"
        )
        path = self.outbox / name
        write_new_file(path, f"To: {to}\n\n{text}".encode())
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
