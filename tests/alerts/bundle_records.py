"""Alert records for the bundle tests, made from plain dicts (no alert files needed)."""

from __future__ import annotations

import hashlib
from datetime import date
from typing import Any

from uglymugs.alerts.bundles import AlertRecord
from uglymugs.alerts.canonical import canonical_bytes


def record(
    number: str,
    *,
    region: str = "west-yorkshire",
    status: str = "published",
    expires: date | None = None,
    text: str = "Client became violent when asked for payment and took phones.",
    **fields: Any,
) -> AlertRecord:
    """One alert as the check would hand it over; the digest follows its content."""
    data = {
        "number": number,
        "region": region,
        "status": status,
        "date": "2026-11-20",
        "categories": ["violence", "robbery"],
        "what_happened": text,
        "offender": {"sex": "male", "age": "40s", "build": "heavy"},
        "identifiers": {"phones": ["+447700900123"]},
        **fields,
    }
    if expires is not None:
        data["expires"] = expires.isoformat()
    digest = hashlib.sha256(canonical_bytes(data)).hexdigest()
    return AlertRecord(number, status, region, expires, digest, data)


def some_records() -> list[AlertRecord]:
    return [
        record("2026-0003", region="merseyside"),
        record("2026-0001"),
        record("2026-0002", region="west-yorkshire", status="corrected"),
        record("2026-0004", status="withdrawn"),
    ]
