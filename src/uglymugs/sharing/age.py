"""age encryption (pyrage), behind three typed functions.

pyrage is a compiled extension without type information; keeping every call here
leaves the rest of the code typed, and is the one place to change if the library is.
Packets are in age's binary format, which the standard ``age`` tool opens.
"""

from __future__ import annotations

import pyrage


class AgeKeyError(ValueError):
    """Text that is not an age X25519 public key (``age1...``)."""


def check_recipient(text: str) -> None:
    """Raise :class:`AgeKeyError` unless ``text`` is an age X25519 recipient."""
    try:
        pyrage.x25519.Recipient.from_str(text)  # pyright: ignore[reportAttributeAccessIssue]
    except Exception as error:  # pyrage raises its own RecipientError, a plain Exception
        raise AgeKeyError(str(error)) from None


def encrypt_to(recipient: str, data: bytes) -> bytes:
    """``data`` encrypted to the one ``recipient``."""
    key = pyrage.x25519.Recipient.from_str(recipient)  # pyright: ignore[reportAttributeAccessIssue]
    return pyrage.encrypt(data, [key])  # pyright: ignore[reportAttributeAccessIssue]


def decrypt_with(identity: str, data: bytes) -> bytes:
    """``data`` decrypted with ``identity`` (``AGE-SECRET-KEY-1...``); for checks and tests."""
    key = pyrage.x25519.Identity.from_str(identity)  # pyright: ignore[reportAttributeAccessIssue]
    return pyrage.decrypt(data, [key])  # pyright: ignore[reportAttributeAccessIssue]
