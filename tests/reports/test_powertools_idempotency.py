"""Powertools Idempotency in front of the intake: retries answered from DynamoDB, and
every crash healed by the claim ledger and the create-if-absent vault write (moto)."""

import pytest
from aws_lambda_powertools.utilities.idempotency.exceptions import (
    IdempotencyPersistenceLayerError,
)

from tests.fakes import CrashingVault, StorageDownError
from tests.lambda_events import FakeLambdaContext
from uglymugs.reports.claims.dynamodb import DynamoDBIdempotencyLedger
from uglymugs.reports.intake import IdempotencyConflictError, ReportIntake
from uglymugs.reports.powertools_idempotency import (
    PowertoolsIdempotentIntake,
    ReportInProgressError,
    current_lambda_context,
)
from uglymugs.reports.submission import Submission
from uglymugs.reports.vault.s3 import S3ReportVault

POWERTOOLS_TABLE = "uglymugs-test-powertools-idempotency"


def create_powertools_table(name: str = POWERTOOLS_TABLE) -> str:
    """As the template makes it: partition key ``id``, TTL on ``expiration``."""
    import boto3

    dynamodb = boto3.client("dynamodb")
    dynamodb.create_table(
        TableName=name,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    dynamodb.update_time_to_live(
        TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": "expiration"}
    )
    return name


class KilledMidWrite(BaseException):
    """The function is killed (timeout, out of memory): no ``except Exception`` runs."""


class KilledVault:
    """Wraps a vault; the next write kills the 'process' before anything is stored."""

    def __init__(self, inner):
        self.inner = inner
        self.kills = 1

    def put_new(self, report):
        if self.kills:
            self.kills -= 1
            raise KilledMidWrite
        return self.inner.put_new(report)

    def get(self, number):
        return self.inner.get(number)

    def numbers(self):
        return self.inner.numbers()


class CountingVault:
    def __init__(self, inner):
        self.inner = inner
        self.writes = 0

    def put_new(self, report):
        self.writes += 1
        return self.inner.put_new(report)

    def get(self, number):
        return self.inner.get(number)

    def numbers(self):
        return self.inner.numbers()


class FailingUpdates:
    """A DynamoDB client whose next ``update_item`` fails (Powertools saving its answer)."""

    def __init__(self, inner):
        self.inner = inner
        self.failures = 1

    def update_item(self, **request):
        if self.failures:
            self.failures -= 1
            raise StorageDownError("simulated DynamoDB outage")
        return self.inner.update_item(**request)

    def __getattr__(self, name):
        return getattr(self.inner, name)


def sealed(text=b"s" * 64, key="retry-key-0123456789abcdef"):
    return Submission(key_id="report-test", ciphertext=text, idempotency_key=key)


@pytest.fixture
def stores(aws_report_storage):
    create_powertools_table()
    return aws_report_storage


def powertools_intake(vault, ledger, client=None):
    return PowertoolsIdempotentIntake(ReportIntake(vault, ledger), POWERTOOLS_TABLE, client=client)


@pytest.fixture(autouse=True)
def lambda_context():
    token = current_lambda_context.set(FakeLambdaContext())
    yield
    current_lambda_context.reset(token)


def test_a_retry_is_answered_from_the_idempotency_table_without_a_second_write(stores):
    vault = CountingVault(stores.vault)
    intake = powertools_intake(vault, stores.ledger)
    first = intake.accept(sealed())
    again = intake.accept(sealed())
    assert (again.report_number, again.replayed) == (first.report_number, True)
    assert not first.replayed
    assert vault.writes == 1
    assert list(stores.vault.numbers()) == [first.report_number]


def test_the_same_key_with_another_report_is_a_conflict(stores):
    intake = powertools_intake(stores.vault, stores.ledger)
    intake.accept(sealed(b"a" * 64))
    with pytest.raises(IdempotencyConflictError):
        intake.accept(sealed(b"b" * 64))
    assert len(list(stores.vault.numbers())) == 1


def test_reports_without_a_key_bypass_powertools(stores):
    intake = powertools_intake(stores.vault, stores.ledger)
    a, b = intake.accept(sealed(key=None)), intake.accept(sealed(key=None))
    assert a.report_number != b.report_number


def test_a_failed_vault_write_is_healed_by_the_retry_under_the_same_number(stores):
    ledger = stores.ledger
    intake = powertools_intake(CrashingVault(stores.vault), ledger)
    with pytest.raises(StorageDownError):
        intake.accept(sealed())
    # Powertools forgot the failed attempt; the claim ledger did not.
    receipt = intake.accept(sealed())
    assert not receipt.replayed
    assert list(stores.vault.numbers()) == [receipt.report_number]
    assert ledger.claim(*_digests(sealed()), "UM-XXXX").report_number == receipt.report_number


def test_a_killed_attempt_blocks_retries_until_its_deadline_then_the_retry_heals(stores):
    intake = powertools_intake(KilledVault(stores.vault), stores.ledger)
    with pytest.raises(KilledMidWrite):  # with 30 s of the invocation left
        intake.accept(sealed())
    assert list(stores.vault.numbers()) == []
    with pytest.raises(ReportInProgressError):  # the first attempt might still be running
        intake.accept(sealed())
    deadline_passes()
    receipt = powertools_intake(stores.vault, stores.ledger).accept(sealed())
    assert list(stores.vault.numbers()) == [receipt.report_number]


def deadline_passes(table: str = POWERTOOLS_TABLE) -> None:
    """Move every in-progress record's deadline (the killed invocation's) into the past."""
    import boto3

    dynamodb = boto3.client("dynamodb")
    for item in dynamodb.scan(TableName=table)["Items"]:
        if "in_progress_expiration" in item:
            dynamodb.update_item(
                TableName=table,
                Key={"id": item["id"]},
                UpdateExpression="SET in_progress_expiration = :past",
                ExpressionAttributeValues={":past": {"N": "1"}},
            )


def test_an_answer_powertools_could_not_save_is_given_again_by_the_vault(stores):
    import boto3

    client = FailingUpdates(boto3.client("dynamodb"))
    intake = powertools_intake(stores.vault, stores.ledger, client=client)
    with pytest.raises(IdempotencyPersistenceLayerError):  # the API answers 503
        intake.accept(sealed())
    (number,) = stores.vault.numbers()  # stored, though the client heard an error
    deadline_passes()
    receipt = intake.accept(sealed())
    assert (receipt.report_number, receipt.replayed) == (number, True)
    assert list(stores.vault.numbers()) == [number]


def _digests(submission):
    from uglymugs.reports.intake import digest

    return (
        digest(submission.idempotency_key.encode()),
        digest(submission.key_id.encode(), submission.ciphertext),
    )


def test_types_used_are_the_aws_adapters(stores):
    assert isinstance(stores.vault, S3ReportVault)
    assert isinstance(stores.ledger, DynamoDBIdempotencyLedger)


def test_the_api_asks_for_a_retry_while_the_first_attempt_runs():
    import json
    from base64 import b64encode

    from starlette.testclient import TestClient

    from uglymugs.reports.api import create_report_app
    from uglymugs.reports.keyring import ReportKeyRing

    class StillRunning:
        def accept(self, submission):
            raise ReportInProgressError

    ring = ReportKeyRing("report-test", {"report-test": bytes(32)})
    client = TestClient(create_report_app(StillRunning(), ring))
    body = {"key_id": "report-test", "ciphertext": b64encode(b"s" * 64).decode()}
    response = client.post("/api/reports", content=json.dumps(body), headers=JSON)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "2"
    assert response.json()["error"]["code"] == "storage_unavailable"


JSON = {"content-type": "application/json"}
