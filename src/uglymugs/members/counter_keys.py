"""Keys of rate-limit counters: HMAC-SHA256 of what was typed, under the scheme's secret.

A counter is stored under a key for as long as its window lasts. A plain SHA-256 of a
login or an e-mail address can be reversed by hashing a list of likely addresses; an
HMAC under a secret kept outside the session store cannot. The secret is
``$UGLYMUGS_COUNTER_KEY_SECRET`` (a Secrets Manager secret, read on first use) on AWS,
and locally the file ``counter-key`` in the data directory, made once (0600).

>>> keys = CounterKeys(lambda: b"at least sixteen bytes")
>>> keys.key("login", " DaveM ") == keys.key("login", "davem")
True
>>> keys.key("login", "davem") == keys.key("mail:password_reset", "davem")
False
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from collections.abc import Callable
from pathlib import Path

COUNTER_KEY_FILE = "counter-key"
SECRET_BYTES = 32


def normalised(value: str) -> str:
    """How typed values are compared: ``" DaveM "`` and ``"davem"`` count as one."""
    return value.strip().casefold()


class CounterKeys:
    """Turns ``(purpose, value)`` into a counter key; loads its secret once, on first use."""

    def __init__(self, secret: Callable[[], bytes]) -> None:
        self._load = secret
        self._secret: bytes | None = None
        self._lock = threading.Lock()

    @classmethod
    def ephemeral(cls) -> CounterKeys:
        """A random secret for this object's life only (tests, a throw-away app)."""
        secret = secrets.token_bytes(SECRET_BYTES)
        return cls(lambda: secret)

    def key(self, purpose: str, value: str) -> str:
        message = f"{purpose}\x00{normalised(value)}".encode()
        return f"{purpose}:{hmac.new(self._secret_bytes(), message, hashlib.sha256).hexdigest()}"

    def _secret_bytes(self) -> bytes:
        with self._lock:
            if self._secret is None:
                secret = self._load()
                if len(secret) < 16:
                    raise ValueError("the counter key secret must be at least 16 bytes")
                self._secret = secret
            return self._secret


def local_secret(data_dir: Path) -> Callable[[], bytes]:
    """The data directory's ``counter-key``, made with 32 random bytes the first time."""

    def read() -> bytes:
        from uglymugs.private_files import write_new_file

        path = data_dir / COUNTER_KEY_FILE
        if not path.exists():
            write_new_file(path, secrets.token_hex(SECRET_BYTES).encode("ascii"))
        return path.read_bytes().strip()

    return read
