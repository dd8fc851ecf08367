"""What the vault holds for one report, as bytes: the sealed report and nothing else.

Every vault adapter stores the same small JSON document, so a report copied from S3
to a laptop reads the same. It holds the number, the key id, the ciphertext and the
time of receipt to the second: no IP address, user agent or header, ever.

>>> record = StoredReport("UM-0000-0000-0000", "report-abcdefgh", b"sealed", "2026-11-23T10:00:00Z")
>>> decode_stored_report(encode_stored_report(record)) == record
True
"""

from __future__ import annotations

import base64
import binascii
import json

from uglymugs.reports.numbers import ReportNumberError, normalise
from uglymugs.reports.vault import StoredReport

SCHEMA = "uglymugs.vault/1"
_FIELDS = {"schema", "report_number", "key_id", "ciphertext", "received_at"}


class VaultRecordError(ValueError):
    """Bytes from the vault that are not a well-formed ``uglymugs.vault/1`` record."""


def is_canonical_number(text: str) -> bool:
    """True for a report number exactly as :func:`normalise` writes it (safe as a file name)."""
    try:
        return normalise(text) == text
    except ReportNumberError:
        return False


def encode_stored_report(report: StoredReport) -> bytes:
    """The vault record for ``report`` (UTF-8 JSON, keys in a fixed order)."""
    return json.dumps(
        {
            "schema": SCHEMA,
            "report_number": report.report_number,
            "key_id": report.key_id,
            "ciphertext": base64.b64encode(report.ciphertext).decode("ascii"),
            "received_at": report.received_at,
        }
    ).encode("utf-8")


def decode_stored_report(data: bytes) -> StoredReport:
    """The :class:`StoredReport` in ``data``; raises :class:`VaultRecordError` if malformed."""
    try:
        record = json.loads(data)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise VaultRecordError("the vault record is not UTF-8 JSON") from None
    if not isinstance(record, dict) or set(record) != _FIELDS or record["schema"] != SCHEMA:
        raise VaultRecordError(f"the vault record is not a {SCHEMA} document")
    if not all(isinstance(record[name], str) for name in _FIELDS):
        raise VaultRecordError("every field of a vault record is a string")
    if not is_canonical_number(record["report_number"]):
        raise VaultRecordError("the vault record has a malformed report number")
    try:
        ciphertext = base64.b64decode(record["ciphertext"], validate=True)
    except (binascii.Error, ValueError):
        raise VaultRecordError("the vault record's ciphertext is not standard base64") from None
    return StoredReport(
        report_number=record["report_number"],
        key_id=record["key_id"],
        ciphertext=ciphertext,
        received_at=record["received_at"],
    )
