"""A secret sealed under a passphrase: Argon2id stretches it, secretbox seals.

Private keys rest on staff machines in files that are only as safe as the passphrase,
so the passphrase goes through Argon2id (memory-hard, slow to guess) with a random
salt, and the derived key seals the secret with XSalsa20-Poly1305 (``SecretBox``),
which also detects a wrong passphrase. The cost parameters are stored beside the
salt, so they can be raised later without breaking old files.

>>> sealed = seal_secret(b"secret", "correct horse", TEST_KDF)
>>> open_secret(sealed, "correct horse")
b'secret'
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import nacl.exceptions
import nacl.pwhash
import nacl.secret
import nacl.utils
from nacl.pwhash import argon2id

KDF_ALGORITHM = "argon2id13"
CIPHER = "xsalsa20poly1305"
# Bounds accepted when reading a file: a corrupt or hostile file must not make us
# spend hours or all memory before it fails.
MAX_OPSLIMIT = 16
MAX_MEMLIMIT = 4 * 1024**3


class PassphraseMismatchError(Exception):
    """The passphrase does not open this sealed secret (or the seal was tampered with)."""


class MalformedSecretError(ValueError):
    """A sealed secret whose fields are missing, of the wrong type or out of bounds."""


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost: ``opslimit`` passes over ``memlimit`` bytes of memory."""

    opslimit: int
    memlimit: int


# About 0.7 s and 256 MiB on a laptop: the cost for every real key file.
DEFAULT_KDF = KdfParams(argon2id.OPSLIMIT_MODERATE, argon2id.MEMLIMIT_MODERATE)
# For tests only: the cheapest Argon2id allows, so suites stay fast. A key file
# sealed with it falls to a passphrase guesser almost as fast as no seal at all.
TEST_KDF = KdfParams(argon2id.OPSLIMIT_MIN, argon2id.MEMLIMIT_MIN)


def seal_secret(secret: bytes, passphrase: str, kdf: KdfParams = DEFAULT_KDF) -> dict[str, Any]:
    """Seal ``secret`` under ``passphrase``; the result is JSON-ready and self-describing."""
    salt = nacl.utils.random(argon2id.SALTBYTES)
    box = nacl.secret.SecretBox(_derive_key(passphrase, salt, kdf))
    return {
        "kdf": KDF_ALGORITHM,
        "opslimit": kdf.opslimit,
        "memlimit": kdf.memlimit,
        "salt": base64.b64encode(salt).decode("ascii"),
        "cipher": CIPHER,
        "sealed": base64.b64encode(bytes(box.encrypt(secret))).decode("ascii"),
    }


def open_secret(sealed: Mapping[str, Any], passphrase: str) -> bytes:
    """The secret inside ``sealed``, or :class:`PassphraseMismatchError`."""
    if not isinstance(sealed, Mapping):
        raise MalformedSecretError("the sealed secret is not an object")
    if sealed.get("kdf") != KDF_ALGORITHM or sealed.get("cipher") != CIPHER:
        raise MalformedSecretError(f"the sealed secret is not {KDF_ALGORITHM} + {CIPHER}")
    kdf = KdfParams(
        _bounded(sealed, "opslimit", argon2id.OPSLIMIT_MIN, MAX_OPSLIMIT),
        _bounded(sealed, "memlimit", argon2id.MEMLIMIT_MIN, MAX_MEMLIMIT),
    )
    salt = _base64_field(sealed, "salt")
    if len(salt) != argon2id.SALTBYTES:
        raise MalformedSecretError(f"the salt is not {argon2id.SALTBYTES} bytes")
    ciphertext = _base64_field(sealed, "sealed")
    if len(ciphertext) < nacl.secret.SecretBox.NONCE_SIZE + nacl.secret.SecretBox.MACBYTES:
        raise MalformedSecretError("the sealed secret is shorter than a nonce and a MAC")
    box = nacl.secret.SecretBox(_derive_key(passphrase, salt, kdf))
    try:
        return box.decrypt(ciphertext)
    except (nacl.exceptions.CryptoError, ValueError):
        raise PassphraseMismatchError("the passphrase does not open this secret") from None


def _derive_key(passphrase: str, salt: bytes, kdf: KdfParams) -> bytes:
    return argon2id.kdf(
        nacl.secret.SecretBox.KEY_SIZE,
        passphrase.encode("utf-8"),
        salt,
        opslimit=kdf.opslimit,
        memlimit=kdf.memlimit,
    )


def _bounded(sealed: Mapping[str, Any], name: str, low: int, high: int) -> int:
    value = sealed.get(name)
    if type(value) is not int or not low <= value <= high:
        raise MalformedSecretError(f"{name} must be an integer from {low} to {high}")
    return value


def _base64_field(sealed: Mapping[str, Any], name: str) -> bytes:
    value = sealed.get(name)
    if not isinstance(value, str):
        raise MalformedSecretError(f"{name} must be a base64 string")
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise MalformedSecretError(f"{name} is not standard base64") from None
