"""The HTTP functions log structured JSON with the API's request id as correlation id,
and never the event, the caller's address or user agent."""

import io
import json
from base64 import b64encode

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


@pytest.fixture
def report_function(monkeypatch, tmp_path):
    key = PrivateKey.generate()
    ring = ReportKeyRing("report-log", {"report-log": key.public_key.encode()})
    monkeypatch.setenv("UGLYMUGS_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("UGLYMUGS_REPORT_KEYRING", ring.to_json())
    monkeypatch.setenv("POWERTOOLS_METRICS_NAMESPACE", "uglymugs-test")
    return load_function("report"), key


def test_a_stored_report_is_logged_with_the_request_id_and_nothing_of_the_caller(
    report_function,
):
    function, key = report_function
    written = io.StringIO()
    function.logger.registered_handler.setStream(written)  # where Lambda's stdout would be
    sealed = SealedBox(key.public_key).encrypt(b'{"schema": "uglymugs.report/1"}')
    body = json.dumps({"key_id": "report-log", "ciphertext": b64encode(sealed).decode()})
    event = http_api_event("POST", "/api/reports", body, {"content-type": "application/json"})
    assert function.handler(event, FakeLambdaContext())["statusCode"] == 201

    output = written.getvalue()
    lines = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    (stored,) = [line for line in lines if line.get("message") == "report stored"]
    assert stored["correlation_id"] == event["requestContext"]["requestId"]
    assert stored["service"] == "report" and stored["level"] == "INFO"
    for secret in (CANARY_SOURCE_IP, CANARY_USER_AGENT, b64encode(sealed).decode()[:40]):
        assert secret not in output
