"""Member passwords: Argon2id through libsodium (PyNaCl ``pwhash.argon2id``).

Parameters: **opslimit 3, memlimit 64 MiB** (libsodium ``MODERATE`` is 3 / 256 MiB).
This is the second recommended option of RFC 9106 (t=3, m=64 MiB), above OWASP's
minimum for Argon2id (m=19 MiB, t=2), and costs roughly 0.1–0.2 s and 64 MiB per
login on a Lambda with 512 MB or more — cheap for a member logging in a few times a
day, expensive for anyone guessing offline from a stolen directory. libsodium writes
the parameters into every hash (``$argon2id$v=19$m=65536,t=3,p=1$…``), so they can be
raised later: :meth:`PasswordHasher.needs_rehash` says when a stored hash is weaker.

Tests pass cheap parameters (:data:`TEST_PARAMETERS`) through the constructor.

>>> hasher = PasswordHasher()  # doctest: +SKIP
>>> hasher.verify(hasher.hash("correct horse battery"), "correct horse battery")  # doctest: +SKIP
True
"""

from __future__ import annotations

from dataclasses import dataclass

from nacl import pwhash
from nacl.exceptions import InvalidkeyError

OPSLIMIT = 3
MEMLIMIT = 64 * 1024 * 1024
MIN_LENGTH = 10
MAX_LENGTH = 1024  # Argon2 takes any length; this bounds the work one request can ask for


@dataclass(frozen=True)
class PasswordHasher:
    """Hashes and verifies passwords with fixed Argon2id parameters."""

    opslimit: int = OPSLIMIT
    memlimit: int = MEMLIMIT

    def hash(self, password: str) -> str:
        return pwhash.argon2id.str(
            password.encode("utf-8"), opslimit=self.opslimit, memlimit=self.memlimit
        ).decode("ascii")

    def verify(self, password_hash: str | None, password: str) -> bool:
        """True if ``password`` matches; with no hash, does the same work and says False."""
        if password_hash is None:
            self.hash(password)  # as slow as a real check: no answer is quicker for unknown users
            return False
        try:
            return pwhash.verify(password_hash.encode("ascii"), password.encode("utf-8"))
        except InvalidkeyError:
            return False

    def needs_rehash(self, password_hash: str) -> bool:
        return f"m={self.memlimit // 1024},t={self.opslimit}," not in password_hash


TEST_PARAMETERS = PasswordHasher(
    opslimit=pwhash.argon2id.OPSLIMIT_MIN, memlimit=pwhash.argon2id.MEMLIMIT_MIN
)


def password_problem(password: str, username: str) -> str | None:
    """Why ``password`` cannot be used, or None: at least 10 characters, not the username."""
    if len(password) < MIN_LENGTH:
        return f"must be at least {MIN_LENGTH} characters"
    if len(password) > MAX_LENGTH:
        return f"must be at most {MAX_LENGTH} characters"
    folded = password.casefold()
    if username.casefold() in folded and len(folded) - len(username) < MIN_LENGTH:
        return "must not be your username"
    return None
