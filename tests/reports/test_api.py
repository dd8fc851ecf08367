"""The report API over HTTP, against the local and the AWS (moto) adapters alike."""

import json
from base64 import b64decode, b64encode

import pytest
from nacl.public import PrivateKey, SealedBox
from starlette.testclient import TestClient

from tests.fakes import CrashingVault
from uglymugs.reports.api import create_report_app
from uglymugs.reports.intake import ReportIntake
from uglymugs.reports.keyring import ReportKeyRing
from uglymugs.reports.submission import MAX_BODY_BYTES

REPORT = {
    "schema": "uglymugs.report/1",
    "report_type": "partial",
    "answers": {"what_happened": "x"},
}


@pytest.fixture
def private_key():
    return PrivateKey.generate()


@pytest.fixture
def keyring(private_key):
    old = PrivateKey.generate().public_key.encode()
    return ReportKeyRing(
        "report-new", {"report-old": old, "report-new": private_key.public_key.encode()}
    )


@pytest.fixture
def client(report_storage, keyring):
    vault, ledger = report_storage
    app = create_report_app(ReportIntake(vault=vault, ledger=ledger), keyring)
    return TestClient(app, raise_server_exceptions=False)


def seal(private_key, report=REPORT) -> str:
    box = SealedBox(private_key.public_key).encrypt(json.dumps(report).encode())
    return b64encode(box).decode()


def post(client, payload, content_type="application/json"):
    raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    return client.post("/api/reports", content=raw, headers={"Content-Type": content_type})


def stored_numbers(report_storage):
    return list(report_storage[0].numbers())


def test_current_key(client, private_key):
    response = client.get("/api/reports/key")
    assert response.status_code == 200
    assert response.json()["key_id"] == "report-new"
    assert b64decode(response.json()["public_key"]) == private_key.public_key.encode()
    assert response.headers["cache-control"] == "no-store"


def test_a_sealed_report_is_stored_and_staff_can_open_it(client, private_key, report_storage):
    response = post(client, {"key_id": "report-new", "ciphertext": seal(private_key)})
    assert response.status_code == 201
    number = response.json()["report_number"]
    stored = report_storage[0].get(number)
    assert stored.key_id == "report-new"
    assert json.loads(SealedBox(private_key).decrypt(stored.ciphertext)) == REPORT


def test_a_report_sealed_to_an_older_key_in_the_ring_is_accepted(client, private_key):
    response = post(client, {"key_id": "report-old", "ciphertext": seal(private_key)})
    assert response.status_code == 201


def test_same_idempotency_key_same_number_nothing_new(client, private_key, report_storage):
    payload = {"key_id": "report-new", "ciphertext": seal(private_key), "idempotency_key": "A" * 43}
    first = post(client, payload)
    second = post(client, payload)
    assert first.status_code == second.status_code == 201
    assert first.json() == second.json()
    assert stored_numbers(report_storage) == [first.json()["report_number"]]


def test_same_idempotency_key_with_another_report_is_a_409(client, private_key, report_storage):
    post(
        client,
        {"key_id": "report-new", "ciphertext": seal(private_key), "idempotency_key": "B" * 43},
    )
    again = post(
        client,
        {"key_id": "report-new", "ciphertext": seal(private_key), "idempotency_key": "B" * 43},
    )
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "idempotency_key_reused"
    assert len(stored_numbers(report_storage)) == 1


GOOD_CIPHERTEXT = b64encode(bytes(64))
JSON = "application/json"


def envelope(key_id: str = "report-new", ciphertext: bytes = GOOD_CIPHERTEXT) -> bytes:
    return b'{"key_id": "' + key_id.encode() + b'", "ciphertext": "' + ciphertext + b'"}'


BAD_REQUESTS = [
    (b"not json", JSON, 400, "invalid_json", None),
    (b"[1, 2]", JSON, 400, "invalid_json", None),
    (b'{"ciphertext": "AAAA"}', JSON, 422, "missing_field", "key_id"),
    (b'{"key_id": "report-new"}', JSON, 422, "missing_field", "ciphertext"),
    (envelope(key_id="nope"), JSON, 422, "unknown_key", "key_id"),
    (envelope(ciphertext=b"***"), JSON, 422, "not_base64", "ciphertext"),
    (envelope(ciphertext=b64encode(bytes(47))), JSON, 422, "too_short", "ciphertext"),
    (envelope(), "text/plain", 415, "unsupported_media_type", "content-type"),
    (
        envelope(),
        "application/x-www-form-urlencoded",
        415,
        "unsupported_media_type",
        "content-type",
    ),
    (envelope(ciphertext=b64encode(bytes(MAX_BODY_BYTES))), JSON, 413, "too_large", None),
]


@pytest.mark.parametrize(("raw", "content_type", "status", "code", "field"), BAD_REQUESTS)
def test_bad_input_gets_a_clear_4xx_and_stores_nothing(
    client, report_storage, raw, content_type, status, code, field
):
    response = post(client, raw, content_type)
    assert response.status_code == status
    error = response.json()["error"]
    assert error["code"] == code
    assert error.get("field") == field
    assert error["message"]
    assert stored_numbers(report_storage) == []


def test_wrong_method_and_unknown_path_are_json_4xx(client):
    assert client.get("/api/reports").json()["error"]["code"] == "method_not_allowed"
    assert client.get("/api/reports").status_code == 405
    assert client.get("/api/nothing").status_code == 404
    assert client.get("/api/nothing").json()["error"]["code"] == "not_found"


def test_a_storage_outage_is_a_503_and_the_retry_stores_once(report_storage, keyring, private_key):
    vault, ledger = report_storage
    app = create_report_app(ReportIntake(vault=CrashingVault(vault), ledger=ledger), keyring)
    client = TestClient(app, raise_server_exceptions=False)
    payload = {"key_id": "report-new", "ciphertext": seal(private_key), "idempotency_key": "C" * 43}
    failed = post(client, payload)
    assert failed.status_code == 503
    assert failed.json()["error"]["code"] == "storage_unavailable"
    retried = post(client, payload)
    assert retried.status_code == 201
    assert stored_numbers(report_storage) == [retried.json()["report_number"]]
