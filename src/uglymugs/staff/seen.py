"""What each staff member has looked at, kept across locking and restarting the console.

The queue flags an incident "new since you last looked" while any of its reports is
one this staff member has not opened. That memory must outlive the unlocked state
(which is dropped on every lock), so it is kept in a small file per staff member on
their own machine, holding only report numbers (never what a report says), sealed
with the current case key like a case record: the file alone tells nobody which
reports exist or which were read.

>>> numbers = load_seen(path, case_keys)  # doctest: +SKIP
>>> save_seen(path, case_keys, key_id, numbers | {"UM-7K3F-92QH-X4PM"})  # doctest: +SKIP
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable, Mapping
from pathlib import Path

import nacl.exceptions
import nacl.secret

from uglymugs.private_files import replace_file

SCHEMA = "uglymugs.staff-seen/1"


def seen_path(data_dir: Path, staff_name: str) -> Path:
    """The staff member's file: named by a hash, so the name is not on the disk either."""
    digest = hashlib.sha256(staff_name.encode("utf-8")).hexdigest()[:24]
    return data_dir / "staff" / f"seen-{digest}.sealed"


def load_seen(path: Path, case_keys: Mapping[str, bytes]) -> set[str]:
    """The report numbers this staff member has opened; empty when there is no file or
    no key in the ring opens it (then everything shows as new, which is safe)."""
    try:
        stored = json.loads(path.read_text(encoding="ascii"))
        key = case_keys[stored["key_id"]]
        box = nacl.secret.SecretBox(key)
        numbers = json.loads(box.decrypt(base64.b64decode(stored["sealed"])))
    except (OSError, ValueError, KeyError, TypeError, nacl.exceptions.CryptoError):
        return set()
    if not isinstance(numbers, list):
        return set()
    return {number for number in numbers if isinstance(number, str)}


def save_seen(
    path: Path, case_keys: Mapping[str, bytes], key_id: str, numbers: Iterable[str]
) -> None:
    """Seal ``numbers`` with the case key ``key_id`` and replace the file in one step."""
    plaintext = json.dumps(sorted(numbers), separators=(",", ":")).encode("ascii")
    sealed = nacl.secret.SecretBox(case_keys[key_id]).encrypt(plaintext)
    record = {"schema": SCHEMA, "key_id": key_id, "sealed": base64.b64encode(sealed).decode()}
    replace_file(path, json.dumps(record).encode("ascii"))
