"""Canaries: a report's text, the sender's IP and user agent are never written anywhere.

Each test plants unique strings in everything a request carries — the sealed report's
plaintext, the client address and user agent of the event, and plaintext that a
broken client might send by mistake — then searches every log line and every stored
byte for them. Logging is turned up to DEBUG so a careless log call cannot hide.
"""

import json
import logging
from base64 import b64encode
from pathlib import Path

import pytest
from nacl.public import PrivateKey, SealedBox

from tests.functions.loading import load_function
from tests.lambda_events import (
    CANARY_SOURCE_IP,
    CANARY_USER_AGENT,
    FakeLambdaContext,
    http_api_event,
)
from uglymugs.reports.keyring import ReportKeyRing

pytestmark = pytest.mark.attack("leakage")

REPORT_CANARY = "canary-7f3d9c1e-he-said-his-name-was-Zebulon-Quartermaine"
FORGOTTEN_CANARY = "canary-plaintext-sent-by-a-broken-client-0b5e"
CANARIES = (REPORT_CANARY, FORGOTTEN_CANARY, CANARY_SOURCE_IP, CANARY_USER_AGENT)


def json_event(body: str) -> dict:
    return http_api_event("POST", "/api/reports", body, {"content-type": "application/json"})


def requests_carrying_canaries(public_key) -> list[dict]:
    report = {
        "schema": "uglymugs.report/1",
        "report_type": "full",
        "answers": {"what_happened": REPORT_CANARY, "phone_numbers": "07700 900123"},
    }
    sealed = b64encode(SealedBox(public_key).encrypt(json.dumps(report).encode())).decode()
    good = {"key_id": "report-canary", "ciphertext": sealed, "idempotency_key": "E" * 43}
    return [
        json_event(json.dumps(good)),
        json_event(json.dumps(good)),  # a retry
        json_event(json.dumps({**good, "idempotency_key": "F" * 43})),
        json_event(json.dumps({**good, "what_happened": FORGOTTEN_CANARY})),
        json_event(json.dumps({"key_id": "report-canary", "ciphertext": FORGOTTEN_CANARY})),
        json_event(json.dumps({"key_id": FORGOTTEN_CANARY, "ciphertext": sealed})),
        json_event(FORGOTTEN_CANARY),
        json_event("{" + FORGOTTEN_CANARY),
        http_api_event("POST", "/api/reports", FORGOTTEN_CANARY, {"content-type": "text/plain"}),
        http_api_event("GET", "/api/" + FORGOTTEN_CANARY),
        http_api_event("GET", "/api/reports/key", query="q=" + FORGOTTEN_CANARY),
    ]


def stored_bytes(root: Path) -> list[tuple[Path, bytes]]:
    return [(path, path.read_bytes()) for path in root.rglob("*") if path.is_file()]


@pytest.fixture
def everything_logged(caplog, capfd, monkeypatch):
    """All log records at DEBUG and everything written to stdout/stderr."""
    monkeypatch.setenv("POWERTOOLS_LOG_LEVEL", "DEBUG")
    caplog.set_level(logging.DEBUG)

    def collect() -> str:
        out, err = capfd.readouterr()
        records = "\n".join(f"{record.getMessage()} {record.__dict__}" for record in caplog.records)
        return "\n".join([out, err, records])

    return collect


def test_report_function_writes_no_canary(monkeypatch, tmp_path, caplog, everything_logged):
    private_key = PrivateKey.generate()
    ring = ReportKeyRing("report-canary", {"report-canary": private_key.public_key.encode()})
    data_dir = tmp_path / "data"
    monkeypatch.setenv("UGLYMUGS_DATA_DIR", str(data_dir))
    monkeypatch.setenv("UGLYMUGS_REPORT_KEYRING", ring.to_json())
    monkeypatch.setenv("POWERTOOLS_METRICS_NAMESPACE", "uglymugs-test")
    function = load_function("report")
    for name in ("uglymugs", "report", "mangum", "uvicorn", "starlette"):
        logging.getLogger(name).addHandler(caplog.handler)  # whatever Powertools set up

    statuses = []
    for event in requests_carrying_canaries(private_key.public_key):
        response = function.handler(event, FakeLambdaContext())
        statuses.append(response["statusCode"])
        assert REPORT_CANARY not in response["body"]
        assert FORGOTTEN_CANARY not in response.get("body", "")

    assert statuses[:3] == [201, 201, 201]
    assert all(400 <= status < 500 for status in statuses[3:-1])
    assert statuses[-1] == 200  # the key, whatever the query string says
    logs = everything_logged()
    assert "report stored" in logs  # the logging under test is really captured
    files = stored_bytes(data_dir)
    assert len([path for path, _ in files if path.suffix == ".json"]) == 2
    for canary in CANARIES:
        assert canary not in logs, canary
        for path, content in files:
            assert canary.encode() not in content, (canary, path)
