"""The local mailer: files under the data directory's outbox, and a console line."""

from __future__ import annotations

import hashlib
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
from uglymugs.messaging.outbox_files import OutboxFiles
from uglymugs.private_files import sync_directory, write_new_file

# Addresses in one send_to_many call (SES takes 50). Files are idempotent by digest, so
# a call repeated after a crash writes only what is missing whatever its size; a large
# call shares one ledger claim, one directory sync and one outcome among 500 files
# (at 50, those were 7 % more syncs than the files' own; benchmarks/notify.py).
BATCH = 500
# An address the e-mail package writes as it is (ASCII, no quoting, never folded): its
# copy of a message is the shared copy with its own To, Message-ID and Date.
_PLAIN_ADDRESS = re.compile(
    r"[A-Za-z0-9_%+-]+(\.[A-Za-z0-9_%+-]+)*@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+"
)
_LONGEST_PLAIN = 70
_TO_MARK = b"to-mark@uglymugs-copy.invalid"
_ID_MARK = b"<id-mark@uglymugs-copy.invalid>"
_DATE_MARK = format_datetime(datetime(2000, 1, 1, tzinfo=UTC)).encode()
_MESSAGE_ID = re.compile(rb"^Message-ID: ([^\r\n]*)$", re.MULTILINE)
_DATE = re.compile(rb"^Date: ([^\r\n]*)$", re.MULTILINE)
MSGID_DOMAIN = "uglymugs.invalid"
_RECENT = 8  # messages whose serialised copy a mailer keeps (one per language a change)


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
    had not: the outbox never holds one member's message twice. Those files are
    written in place and checked on a repeated call (:mod:`uglymugs.messaging.outbox_files`).
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
        self._files = OutboxFiles(self.outbox, ".eml")
        self._recent: dict[tuple[str, str, str | None], _Copies] = {}
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
        if not addresses:
            return
        self._files.prepare()
        copies = self._copies(subject, text, html)
        now = self.clock()  # one date for the call's files, written within moments
        stamp, date = now.strftime("%Y%m%dT%H%M%SZ"), format_datetime(now).encode()
        with self._files.call() as files:
            for address in addresses:
                digest = copies.digest(address)
                if files.holds(digest, lambda data, to=address: copies.is_copy(to, data)):
                    continue
                message_id = make_msgid(domain=MSGID_DOMAIN).encode()
                # The clock may stand still (tests); nanoseconds keep names in sending order.
                path = files.write(
                    f"{stamp}-{time.time_ns()}-{digest}.eml",
                    digest,
                    copies.for_address(address, message_id, date),
                )
                self.notice(f"uglymugs: an e-mail was written to {path}")

    def _copies(self, subject: str, text: str, html: str | None) -> _Copies:
        """The message's copies, serialised once for all the calls that send it."""
        parts = (subject, text, html)
        with self._lock:
            copies = self._recent.get(parts)
            if copies is None:
                if len(self._recent) >= _RECENT:
                    del self._recent[next(iter(self._recent))]
                copies = self._recent[parts] = _Copies(self.sender, subject, text, html)
            return copies

    def _write(self, message: EmailMessage, token: str) -> None:
        now = self.clock()
        message["Date"] = format_datetime(now)
        # The clock may stand still (tests); nanoseconds keep names in sending order.
        name = f"{now.strftime('%Y%m%dT%H%M%SZ')}-{time.time_ns()}-{token}.eml"
        path = self.outbox / name
        write_new_file(path, bytes(message), sync=False)
        self.notice(f"uglymugs: an e-mail was written to {path}")

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
    would quote, encode or fold gets a message built for it alone. The MIME boundary
    is drawn from the message's words, not at random, so that a copy written by an
    earlier process can be told whole or cut short (:meth:`is_copy`)."""

    def __init__(self, sender: str, subject: str, text: str, html: str | None) -> None:
        self.parts = (sender, subject, text, html)
        self.shared: tuple[bytes, bytes] | None = None  # head with the To mark, body
        # What message_digest hashes after the address, encoded once.
        self.words = "\0".join(("", subject, text, html or "")).encode("utf-8")

    def digest(self, address: str) -> str:
        """:func:`message_digest` of ``address``'s copy."""
        hashed = hashlib.sha256(address.encode("utf-8"))
        hashed.update(self.words)
        return hashed.hexdigest()[:20]

    def for_address(self, address: str, message_id: bytes, date: bytes) -> bytes:
        """The bytes of ``address``'s copy with this Message-ID and Date."""
        head, body = self._template(address)
        return head.replace(_ID_MARK, message_id).replace(_DATE_MARK, date) + body

    def is_copy(self, address: str, data: bytes) -> bool:
        """Whether ``data`` is ``address``'s copy, whole (with its own Message-ID and Date)."""
        head = data.partition(b"\n\n")[0]
        message_id, date = _MESSAGE_ID.search(head), _DATE.search(head)
        if message_id is None or date is None:
            return False
        return data == self.for_address(address, message_id[1], date[1])

    def _template(self, address: str) -> tuple[bytes, bytes]:
        if len(address) > _LONGEST_PLAIN or not _PLAIN_ADDRESS.fullmatch(address):
            return self._serialise(address)
        if self.shared is None:
            self.shared = self._serialise(_TO_MARK.decode())
        head, body = self.shared
        return head.replace(_TO_MARK, address.encode()), body

    def _serialise(self, to: str) -> tuple[bytes, bytes]:
        """The message to ``to`` with the Message-ID and Date marks: head and body."""
        message = build_message(self.parts[0], to, *self.parts[1:])
        message.replace_header("Message-ID", _ID_MARK.decode())
        message["Date"] = _DATE_MARK.decode()
        if message.is_multipart():
            message.set_boundary(_boundary(self.parts[1:]))
        head, separator, body = bytes(message).partition(b"\n\n")
        return head, separator + body


def _boundary(parts: tuple[str, str, str | None]) -> str:
    """A MIME boundary drawn from the message's words (in the e-mail package's form),
    found in none of them."""
    words = "\0".join(part or "" for part in parts)
    for attempt in range(100):
        digest = hashlib.sha256(f"{attempt}\0{words}".encode()).digest()
        boundary = f"{'=' * 15}{int.from_bytes(digest[:8], 'big') % sys.maxsize:019d}=="
        if boundary not in words:
            return boundary
    raise ValueError("no MIME boundary outside the message")  # pragma: no cover - never
