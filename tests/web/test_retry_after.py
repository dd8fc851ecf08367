"""Every 503 from every API says when to retry: ``Retry-After``, by construction.

Storage is broken for real (the SQLite file replaced by a directory, the DynamoDB
tables and S3 bucket deleted on moto) or by the failing wrappers of ``tests.fakes``,
and every route is called with a request it would otherwise accept.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from base64 import b64encode

import pytest
from nacl.public import PrivateKey, SealedBox
from starlette.testclient import TestClient

from tests.fakes import CrashingLedger, CrashingVault
from tests.members.test_member_api import APPLICATION, PASSWORD, SITE
from uglymugs.members.api import MemberServices, create_member_app
from uglymugs.members.passwords import TEST_PARAMETERS
from uglymugs.messaging.mailer.outbox import OutboxMailer
from uglymugs.reports.api import create_report_app
from uglymugs.reports.intake import ReportIntake
from uglymugs.reports.keyring import ReportKeyRing
from uglymugs.web.errors import (
    ApiError,
    ErrorCode,
    MissingRetryAfterError,
    ServiceUnavailableError,
    is_storage_failure,
)

JSON = {"content-type": "application/json"}
MEMBER_REQUESTS = [
    ("POST", "/api/members", APPLICATION),
    ("POST", "/api/members/password", {"token": "t" * 43, "password": PASSWORD}),
    ("POST", "/api/members/password-reset", {"login": "DaveM"}),
    ("POST", "/api/session", {"login": "DaveM", "password": PASSWORD}),
    ("DELETE", "/api/session", None),
    ("GET", "/api/members/me", None),
    ("GET", "/api/members/me/preferences", None),
    (
        "PUT",
        "/api/members/me/preferences",
        {"channels": ["email"], "regions": [], "discreet_sms": False},
    ),
    ("GET", "/api/alerts/bundle", None),
    ("POST", "/api/check", {"kind": "phone", "value": "07700 900001"}),
]


def assert_retry_after(response) -> None:
    assert response.status_code == 503, response.text
    assert int(response.headers["Retry-After"]) >= 1
    assert response.json()["error"]["code"] == "storage_unavailable"


def test_a_503_cannot_be_built_without_retry_after():
    with pytest.raises(MissingRetryAfterError):
        ApiError(503, ErrorCode.STORAGE_UNAVAILABLE, "down")
    error = ServiceUnavailableError("down", retry_after=7)
    assert (error.status, error.headers) == (503, {"Retry-After": "7"})
    assert ServiceUnavailableError("down", retry_after=0).headers == {"Retry-After": "1"}


def test_a_503_raised_as_an_http_exception_gets_retry_after_too():
    from starlette.applications import Starlette
    from starlette.exceptions import HTTPException
    from starlette.routing import Route

    from uglymugs.web.errors import EXCEPTION_HANDLERS

    async def overloaded(_request):
        raise HTTPException(503)

    app = Starlette(routes=[Route("/", overloaded)], exception_handlers=EXCEPTION_HANDLERS)
    assert_retry_after(TestClient(app).get("/"))


def test_storage_failures_are_told_from_our_own_faults():
    from botocore.exceptions import ClientError, EndpointConnectionError

    assert is_storage_failure(sqlite3.OperationalError("database is locked"))
    assert is_storage_failure(OSError(28, "No space left on device"))
    assert is_storage_failure(EndpointConnectionError(endpoint_url="https://s3"))
    assert is_storage_failure(ClientError({"Error": {"Code": "Throttling"}}, "PutItem"))
    assert not is_storage_failure(KeyError("a bug"))


@pytest.fixture
def report_parts():
    private_key = PrivateKey.generate()
    ring = ReportKeyRing("report-new", {"report-new": private_key.public_key.encode()})
    sealed = SealedBox(private_key.public_key).encrypt(b'{"schema": "uglymugs.report/1"}')
    body = {"key_id": "report-new", "ciphertext": b64encode(sealed).decode()}
    return ring, body


@pytest.mark.parametrize(
    ("broken", "idempotency_key"), [("vault", None), ("vault", "R" * 43), ("ledger", "R" * 43)]
)
def test_every_report_storage_failure_is_a_503_with_retry_after(
    report_storage, report_parts, broken, idempotency_key
):
    vault, ledger = report_storage
    if broken == "vault":
        vault = CrashingVault(vault, crashes=2)
    else:  # without an idempotency key a submission never touches the ledger
        ledger = CrashingLedger(ledger, crashes=2)
    ring, body = report_parts
    if idempotency_key:
        body = {**body, "idempotency_key": idempotency_key}
    client = TestClient(
        create_report_app(ReportIntake(vault, ledger), ring), raise_server_exceptions=False
    )
    response = client.post("/api/reports", content=json.dumps(body), headers=JSON)
    assert_retry_after(response)


@pytest.fixture
def broken_member_client(request, member_stores, clock, tmp_path):
    """The member API over stores that worked when built and then lost their storage."""
    mailer = OutboxMailer(tmp_path / "outbox", notice=lambda _line: None, clock=clock)
    services = MemberServices(
        member_stores.directory, member_stores.sessions, mailer, TEST_PARAMETERS, SITE, clock
    )
    client = TestClient(
        create_member_app(services), base_url="https://testserver", raise_server_exceptions=False
    )
    client.cookies.set("__Host-um_session", "s" * 43)
    if hasattr(member_stores.directory, "db_path"):
        database = member_stores.directory.db_path
        database.unlink()
        database.mkdir()  # sqlite3: "unable to open database file"
    else:
        import boto3

        dynamodb = boto3.client("dynamodb")
        for table in dynamodb.list_tables()["TableNames"]:
            dynamodb.delete_table(TableName=table)  # ResourceNotFoundException
    yield client
    if hasattr(member_stores.directory, "db_path"):
        shutil.rmtree(member_stores.directory.db_path)


@pytest.mark.parametrize(("method", "path", "body"), MEMBER_REQUESTS)
def test_every_member_route_answers_503_with_retry_after_when_storage_fails(
    broken_member_client, method, path, body
):
    response = broken_member_client.request(
        method, path, content=None if body is None else json.dumps(body), headers=JSON
    )
    assert_retry_after(response)
