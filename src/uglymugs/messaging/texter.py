"""Sending SMS to members: the port and its two adapters.

Locally :class:`OutboxTexter` writes each SMS to a file under ``<data dir>/outbox``
and prints one line saying where; on AWS :class:`SNSTexter` publishes through SNS as
a transactional SMS. The console line never holds the text nor the number: both can
identify a member.

Which one :func:`uglymugs.composition.texter` gives:

- ``UGLYMUGS_SMS_SENDER=sns``: SNS, in the Lambda's region, with the alphanumeric
  sender id ``UGLYMUGS_SMS_SENDER_ID`` if set (up to 11 letters and digits; shown
  instead of a number where the destination country allows it).
- unset, empty or ``outbox``: the outbox under the data directory.

Members who reply STOP to an SNS SMS are on SNS's opted-out list, read with
:meth:`Texter.opted_out`; locally, ``outbox/sms-opted-out.txt`` (one E.164 number a
line) plays that part.

>>> texter = OutboxTexter(settings.data_dir / "outbox")  # doctest: +SKIP
>>> texter.send("+447700900123", "New safety alert - log in to read")  # doctest: +SKIP
"""

from __future__ import annotations

import re
import secrets
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from uglymugs.messaging.quota import DEFAULT_SMS_RATE, SendingQuota
from uglymugs.messaging.sms import MAX_SEGMENTS, sms_segments
from uglymugs.private_files import write_new_file

OUTBOX_DIR = "outbox"
OPTED_OUT_FILE = "sms-opted-out.txt"
SMS_SUFFIX = ".sms.txt"

_E164 = re.compile(r"\+[1-9][0-9]{6,14}")
_SENDER_ID = re.compile(r"(?=.*[A-Za-z])[A-Za-z0-9]{1,11}")


class SMSTooLongError(ValueError):
    """A text longer than :data:`~uglymugs.messaging.sms.MAX_SEGMENTS` segments."""


class Texter(Protocol):
    """Sends one SMS to one mobile number, and knows who asked for no more."""

    def send(self, to: str, text: str) -> None:
        """Send ``text`` to ``to`` (E.164, ``+447700900123``)."""
        ...

    def opted_out(self) -> frozenset[str]:
        """The E.164 numbers that opted out of SMS (replied STOP)."""
        ...


def _checked(to: str, text: str) -> None:
    if not _E164.fullmatch(to):
        raise ValueError("an SMS goes to an E.164 number (+ and 7 to 15 digits)")
    segments = sms_segments(text)
    if segments > MAX_SEGMENTS:
        raise SMSTooLongError(f"an SMS of {segments} segments (at most {MAX_SEGMENTS})")


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


class SNSTexter:
    """Transactional SMS through SNS ``Publish``, optionally from an alphanumeric sender id.

    The client is made on first use, so importing this costs no boto3 import.
    """

    def __init__(
        self, sender_id: str | None = None, client: Any = None, rate: float = DEFAULT_SMS_RATE
    ) -> None:
        if sender_id is not None and not _SENDER_ID.fullmatch(sender_id):
            raise ValueError("an SMS sender id is 1 to 11 letters and digits, with a letter")
        self.sender_id = sender_id
        self.rate = rate
        self._sns = client

    def sending_quota(self) -> SendingQuota:
        """SMS a second: SNS's API says no rate (``GetSMSAttributes`` has a monthly
        spend limit in dollars), so this is the configured rate, by default the
        conservative :data:`~uglymugs.messaging.quota.DEFAULT_SMS_RATE`."""
        return SendingQuota(self.rate)

    def send(self, to: str, text: str) -> None:
        _checked(to, text)
        attributes = {"AWS.SNS.SMS.SMSType": {"DataType": "String", "StringValue": "Transactional"}}
        if self.sender_id:
            attributes["AWS.SNS.SMS.SenderID"] = {
                "DataType": "String",
                "StringValue": self.sender_id,
            }
        self._client.publish(PhoneNumber=to, Message=text, MessageAttributes=attributes)

    def opted_out(self) -> frozenset[str]:
        """Every number on SNS's opted-out list, page by page."""
        numbers: set[str] = set()
        arguments: dict[str, str] = {}
        while True:
            page = self._client.list_phone_numbers_opted_out(**arguments)
            numbers.update(page.get("phoneNumbers", ()))
            token = page.get("nextToken")
            if not token:
                return frozenset(numbers)
            arguments = {"nextToken": token}

    @property
    def _client(self) -> Any:
        if self._sns is None:
            import boto3

            self._sns = boto3.client("sns")
        return self._sns
