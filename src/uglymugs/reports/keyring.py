"""The public report keys the report function accepts submissions for.

The newest key is the one browsers seal to; older keys stay in the ring until staff
retire them, so a page cached before a rotation can still send its report.
"""

from __future__ import annotations

import json
from base64 import b64decode, b64encode
from collections.abc import Mapping
from dataclasses import dataclass


class KeyRingError(ValueError):
    """The key ring given to the report function is malformed or empty."""


@dataclass(frozen=True)
class ReportKeyRing:
    current_key_id: str
    public_keys: Mapping[str, bytes]

    def __post_init__(self) -> None:
        if self.current_key_id not in self.public_keys:
            raise KeyRingError(f"the current report key {self.current_key_id!r} is not in the ring")

    @property
    def current_public_key(self) -> bytes:
        return self.public_keys[self.current_key_id]

    def current_key_document(self) -> dict[str, str]:
        """What ``GET /api/reports/key`` answers (base64 standard, padded)."""
        return {
            "key_id": self.current_key_id,
            "public_key": b64encode(self.current_public_key).decode("ascii"),
        }

    def to_json(self) -> str:
        """The form the AWS deployment passes in an environment variable or parameter."""
        keys = {key_id: b64encode(key).decode("ascii") for key_id, key in self.public_keys.items()}
        return json.dumps({"current": self.current_key_id, "keys": keys}, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> ReportKeyRing:
        try:
            document = json.loads(text)
            keys = {
                key_id: b64decode(key, validate=True) for key_id, key in document["keys"].items()
            }
            return cls(current_key_id=document["current"], public_keys=keys)
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise KeyRingError(f"the report key ring is malformed: {error}") from None

    @classmethod
    def from_public_keys(cls, public_keys: object) -> ReportKeyRing:
        """From :class:`uglymugs.crypto.keys.PublicKeys` (the local key files)."""
        return cls(
            current_key_id=public_keys.report_key_id,  # type: ignore[attr-defined]
            public_keys=dict(public_keys.report_ring),  # type: ignore[attr-defined]
        )
