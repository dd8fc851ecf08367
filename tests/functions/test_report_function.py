"""The report Lambda entry point, invoked in-process with real-shaped HTTP API events."""

import json
from base64 import b64decode, b64encode

import pytest
from nacl.public import PrivateKey, SealedBox

from tests.functions.loading import load_function
from tests.lambda_events import FakeLambdaContext, http_api_event
from uglymugs.reports.keyring import ReportKeyRing


@pytest.fixture
def private_key():
    return PrivateKey.generate()


@pytest.fixture
def report_function(monkeypatch, tmp_path, private_key):
    ring = ReportKeyRing("report-fn", {"report-fn": private_key.public_key.encode()})
    monkeypatch.setenv("UGLYMUGS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("UGLYMUGS_REPORT_KEYRING", ring.to_json())
    monkeypatch.setenv("POWERTOOLS_METRICS_NAMESPACE", "uglymugs-test")
    return load_function("report")


def invoke(function, event):
    response = function.handler(event, FakeLambdaContext())
    body = response["body"]
    if response.get("isBase64Encoded"):
        body = b64decode(body).decode()
    return response["statusCode"], json.loads(body), response.get("headers", {})


def test_get_key(report_function, private_key):
    status, body, _headers = invoke(report_function, http_api_event("GET", "/api/reports/key"))
    assert status == 200
    assert b64decode(body["public_key"]) == private_key.public_key.encode()


def test_post_a_report_and_retry_it(report_function, private_key, tmp_path):
    sealed = SealedBox(private_key.public_key).encrypt(b'{"schema": "uglymugs.report/1"}')
    payload = json.dumps(
        {
            "key_id": "report-fn",
            "ciphertext": b64encode(sealed).decode(),
            "idempotency_key": "D" * 43,
        }
    )
    event = http_api_event("POST", "/api/reports", payload, {"content-type": "application/json"})
    first = invoke(report_function, event)
    second = invoke(report_function, event)
    assert first[0] == second[0] == 201
    assert first[1] == second[1]
    assert len(list((tmp_path / "data" / "vault").rglob("*.json"))) == 1


def test_bad_input_through_lambda_is_a_4xx(report_function):
    event = http_api_event("POST", "/api/reports", "nope", {"content-type": "application/json"})
    status, body, _ = invoke(report_function, event)
    assert status == 400
    assert body["error"]["code"] == "invalid_json"
