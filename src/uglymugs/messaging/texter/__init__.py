"""Sending SMS to members: the port.

Adapters: :mod:`.outbox` writes each SMS to a file under ``<data dir>/outbox`` and
prints one line saying where; :mod:`.sns` publishes through SNS as a transactional
SMS. The console line never holds the text nor the number: both can
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

import functools
import re
from typing import Protocol

from uglymugs.messaging.sms import MAX_SEGMENTS, sms_segments

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
    segments = _segments(text)
    if segments > MAX_SEGMENTS:
        raise SMSTooLongError(f"an SMS of {segments} segments (at most {MAX_SEGMENTS})")


@functools.lru_cache(maxsize=64)
def _segments(text: str) -> int:
    """:func:`sms_segments`, measured once per text: a fan-out sends a few texts to
    thousands of numbers."""
    return sms_segments(text)
