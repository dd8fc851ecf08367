"""Report numbers: random, human-readable, with a check character.

A reporter copies the number onto paper and types it back months later for a
follow-up, so the alphabet is Crockford's base32 (no I, L, O or U to misread) and
the last character is a Luhn mod 32 check that catches any single wrong character
and most swapped neighbours. Numbers are random, never sequential, so a number
reveals nothing about how many reports exist or when it was made.

>>> is_valid(new_report_number())
True
"""

from __future__ import annotations

import secrets

PREFIX = "UM"
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
GROUPS = 3
GROUP_SIZE = 4
RANDOM_CHARACTERS = GROUPS * GROUP_SIZE - 1  # 11 random characters = 55 bits
_INDEX = {char: value for value, char in enumerate(ALPHABET)}
_LOOKALIKES = str.maketrans({"O": "0", "I": "1", "L": "1", " ": None, "-": None})


class ReportNumberError(ValueError):
    """A string that is not a well-formed report number, or whose check character fails."""


def check_character(payload: str) -> str:
    """Luhn mod N over ``ALPHABET`` (N = 32) for ``payload``."""
    base = len(ALPHABET)
    factor = 2
    total = 0
    for char in reversed(payload):
        addend = factor * _INDEX[char]
        factor = 1 if factor == 2 else 2
        total += addend // base + addend % base
    return ALPHABET[(base - total % base) % base]


def new_report_number() -> str:
    """A fresh random number such as ``UM-7K3F-92QH-X4PM``."""
    payload = "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_CHARACTERS))
    return _format(payload + check_character(payload))


def normalise(text: str) -> str:
    """Canonical form of a typed number: upper case, lookalikes mapped, dashes restored.

    Raises :class:`ReportNumberError` when the text cannot be a report number.
    """
    compact = text.strip().upper().translate(_LOOKALIKES)
    if compact.startswith(PREFIX):
        compact = compact[len(PREFIX) :]
    if len(compact) != GROUPS * GROUP_SIZE or any(c not in _INDEX for c in compact):
        raise ReportNumberError(f"{text!r} is not a report number like UM-7K3F-92QH-X4PM")
    if check_character(compact[:-1]) != compact[-1]:
        raise ReportNumberError(f"{text!r} has a wrong character: check it against your note")
    return _format(compact)


def is_valid(text: str) -> bool:
    try:
        normalise(text)
    except ReportNumberError:
        return False
    return True


def _format(compact: str) -> str:
    groups = [compact[i : i + GROUP_SIZE] for i in range(0, len(compact), GROUP_SIZE)]
    return "-".join([PREFIX, *groups])
