"""How many SMS segments a text costs: GSM 03.38 7-bit when it can be, else UCS-2.

A text made only of the GSM 7-bit default alphabet goes as septets: 160 in one
message, 153 in each part of a longer one (the concatenation header takes 7). The
extension table's characters (``€ [ ] { } \\ ^ ~ |`` and form feed) each take two
septets, an escape and the character. Any other character (an em dash, curly quotes,
an emoji) makes the whole text UCS-2: 70 UTF-16 code units in one message, 67 in each
part. A two-septet character or a surrogate pair is never split between parts, so
parts are filled greedily as a phone does.

Alerts are sent as at most :data:`MAX_SEGMENTS` segments: each costs money, and a long
message can arrive in pieces.

>>> sms_segments("New safety alert - log in to read")
1
>>> sms_segments("New safety alert — log in to read")  # the em dash is not GSM
1
>>> fits_sms("x" * 306), fits_sms("x" * 307)
(True, False)
"""

from __future__ import annotations

MAX_SEGMENTS = 2

# The GSM 03.38 default alphabet, in code order, without 0x1B (the escape itself).
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# The extension table: each is sent as the escape and a second septet.
GSM_EXTENSION = frozenset("\f^{}\\[~]|€")

GSM_SINGLE, GSM_PART = 160, 153
UCS2_SINGLE, UCS2_PART = 70, 67


def is_gsm(text: str) -> bool:
    """Whether ``text`` can be sent in the GSM 7-bit alphabet (with its extension table)."""
    return all(char in GSM_BASIC or char in GSM_EXTENSION for char in text)


def sms_segments(text: str) -> int:
    """How many segments ``text`` is sent as (an empty text is still one message)."""
    if is_gsm(text):
        costs = [2 if char in GSM_EXTENSION else 1 for char in text]
        single, part = GSM_SINGLE, GSM_PART
    else:
        costs = [2 if ord(char) > 0xFFFF else 1 for char in text]
        single, part = UCS2_SINGLE, UCS2_PART
    if sum(costs) <= single:
        return 1
    segments, used = 1, 0
    for cost in costs:
        if used + cost > part:
            segments, used = segments + 1, 0
        used += cost
    return segments


def fits_sms(text: str, segments: int = MAX_SEGMENTS) -> bool:
    """Whether ``text`` is sent in at most ``segments`` segments."""
    return sms_segments(text) <= segments
