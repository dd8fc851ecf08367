"""The vault record holds the sealed report and nothing else."""

import base64
import json

import pytest

from uglymugs.reports.vault import StoredReport
from uglymugs.reports.vault.codec import (
    VaultRecordError,
    decode_stored_report,
    encode_stored_report,
)

REPORT = StoredReport(
    "UM-0000-0000-0000", "report-abcdefgh", b"\x00\xff" * 30, "2026-11-23T10:00:00Z"
)


def test_round_trip():
    assert decode_stored_report(encode_stored_report(REPORT)) == REPORT


def test_the_record_has_exactly_the_documented_fields():
    record = json.loads(encode_stored_report(REPORT))
    assert record == {
        "schema": "uglymugs.vault/1",
        "report_number": "UM-0000-0000-0000",
        "key_id": "report-abcdefgh",
        "ciphertext": base64.b64encode(REPORT.ciphertext).decode("ascii"),
        "received_at": "2026-11-23T10:00:00Z",
    }


@pytest.mark.parametrize(
    "change",
    [
        {"schema": "uglymugs.vault/2"},
        {"ip": "192.0.2.1"},
        {"ciphertext": "not base64!"},
        {"ciphertext": "AP8A_wD_"},
        {"report_number": "UM-0000-0000-0001"},
        {"key_id": 7},
    ],
)
def test_malformed_records_are_refused(change):
    record = {**json.loads(encode_stored_report(REPORT)), **change}
    with pytest.raises(VaultRecordError):
        decode_stored_report(json.dumps(record).encode())


def test_non_json_is_refused():
    with pytest.raises(VaultRecordError):
        decode_stored_report(b"\xff\xfe")
