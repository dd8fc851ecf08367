"""Fixtures shared across the suite: storage adapter pairs, local and AWS (moto).

``report_storage`` runs a test twice, once with the local adapters (files, SQLite)
and once with the AWS adapters against moto (S3 with SSE-KMS, DynamoDB), so API tests
and adapter tests prove the same behaviour on both; ``bundle_shelf`` does the same
for the alert bundle shelf. Nothing here can reach real AWS:
credentials are fake and every client is made inside ``mock_aws``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import NamedTuple

import pytest

from uglymugs.alerts.shelf.files import LocalBundleShelf
from uglymugs.alerts.shelf.s3 import S3BundleShelf
from uglymugs.config import variable
from uglymugs.members.directory.dynamodb import (
    MEMBER_INDEX,
    DynamoDBMemberDirectory,
    DynamoDBSessionStore,
)
from uglymugs.members.directory.sqlite import SQLiteMemberDirectory, SQLiteSessionStore
from uglymugs.notify.ledger.dynamodb import DynamoDBNotificationLedger
from uglymugs.notify.ledger.sqlite import SQLiteNotificationLedger
from uglymugs.reports.claims import IdempotencyLedger
from uglymugs.reports.claims.dynamodb import DynamoDBIdempotencyLedger
from uglymugs.reports.claims.sqlite import SQLiteIdempotencyLedger
from uglymugs.reports.vault import ReportVault
from uglymugs.reports.vault.files import LocalReportVault
from uglymugs.reports.vault.s3 import S3ReportVault

AWS_REGION = "eu-west-2"
VAULT_BUCKET = "uglymugs-test-vault"
BUNDLE_BUCKET = "uglymugs-test-bundles"
IDEMPOTENCY_TABLE = "uglymugs-test-idempotency"
MEMBERS_TABLE = "uglymugs-test-members"
SESSIONS_TABLE = "uglymugs-test-sessions"


class StoragePair(NamedTuple):
    """What the report function stores into: unpacks as ``vault, ledger``."""

    vault: ReportVault
    ledger: IdempotencyLedger


@dataclass(frozen=True)
class AwsResources:
    """The moto bucket, KMS key and tables, and the environment that names them."""

    bucket: str
    kms_key_id: str
    table_name: str
    members_table: str = MEMBERS_TABLE
    sessions_table: str = SESSIONS_TABLE

    @property
    def environ(self) -> dict[str, str]:
        """Variables that make :mod:`uglymugs.composition` choose these resources."""
        return {
            variable("vault_bucket"): self.bucket,
            variable("vault_kms_key_id"): self.kms_key_id,
            variable("idempotency_table"): self.table_name,
            variable("members_table"): self.members_table,
            variable("sessions_table"): self.sessions_table,
        }


class FakeClock:
    """A clock for the ledgers that moves only when a test says so."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 23, 10, 0, 0, tzinfo=UTC))


@pytest.fixture
def aws_credentials(monkeypatch, tmp_path) -> None:
    """Fake credentials and region, and no profile or config file from this machine."""
    for name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_ENDPOINT_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", AWS_REGION)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-aws-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-aws-credentials"))


@pytest.fixture
def mocked_aws(aws_credentials) -> Iterator[None]:
    """Every boto3 client made while this fixture is active talks to moto."""
    from moto import mock_aws

    with mock_aws():
        yield


@pytest.fixture
def aws_resources(mocked_aws) -> AwsResources:
    """A versioned vault bucket, its KMS key, and the idempotency, members and sessions
    tables (TTL on ``expiration``; sessions indexed by member)."""
    import boto3

    kms_key_id = boto3.client("kms").create_key(Description="uglymugs test vault")["KeyMetadata"][
        "KeyId"
    ]
    s3 = boto3.client("s3")
    s3.create_bucket(
        Bucket=VAULT_BUCKET, CreateBucketConfiguration={"LocationConstraint": AWS_REGION}
    )
    s3.put_bucket_versioning(Bucket=VAULT_BUCKET, VersioningConfiguration={"Status": "Enabled"})
    dynamodb = boto3.client("dynamodb")
    dynamodb.create_table(
        TableName=IDEMPOTENCY_TABLE,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    dynamodb.update_time_to_live(
        TableName=IDEMPOTENCY_TABLE,
        TimeToLiveSpecification={"Enabled": True, "AttributeName": "expiration"},
    )
    dynamodb.create_table(
        TableName=MEMBERS_TABLE,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        BillingMode="PAY_PER_REQUEST",
    )
    dynamodb.create_table(
        TableName=SESSIONS_TABLE,
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
        AttributeDefinitions=[
            {"AttributeName": "id", "AttributeType": "S"},
            {"AttributeName": "member_id", "AttributeType": "S"},
        ],
        GlobalSecondaryIndexes=[
            {
                "IndexName": MEMBER_INDEX,
                "KeySchema": [{"AttributeName": "member_id", "KeyType": "HASH"}],
                "Projection": {"ProjectionType": "KEYS_ONLY"},
            }
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    dynamodb.update_time_to_live(
        TableName=SESSIONS_TABLE,
        TimeToLiveSpecification={"Enabled": True, "AttributeName": "expiration"},
    )
    return AwsResources(VAULT_BUCKET, kms_key_id, IDEMPOTENCY_TABLE)


@pytest.fixture
def local_bundle_shelf(tmp_path) -> LocalBundleShelf:
    return LocalBundleShelf(tmp_path / "data" / "shelf")


@pytest.fixture
def aws_bundle_shelf(mocked_aws) -> S3BundleShelf:
    """A private bundle bucket on moto, every object under its own KMS key."""
    import boto3

    kms_key_id = boto3.client("kms").create_key(Description="uglymugs test bundles")["KeyMetadata"][
        "KeyId"
    ]
    s3 = boto3.client("s3")
    s3.create_bucket(
        Bucket=BUNDLE_BUCKET, CreateBucketConfiguration={"LocationConstraint": AWS_REGION}
    )
    return S3BundleShelf(BUNDLE_BUCKET, kms_key_id=kms_key_id, client=s3)


@pytest.fixture(params=["local", "aws"])
def bundle_shelf(request):
    """The bundle shelf, once as a local directory and once as a bucket on moto."""
    return request.getfixturevalue(f"{request.param}_bundle_shelf")


@pytest.fixture
def local_report_storage(tmp_path, clock) -> StoragePair:
    data = tmp_path / "data"
    return StoragePair(
        LocalReportVault(data / "vault"),
        SQLiteIdempotencyLedger(data / "state.sqlite3", clock=clock),
    )


@pytest.fixture
def aws_report_storage(aws_resources, clock) -> StoragePair:
    return StoragePair(
        S3ReportVault(aws_resources.bucket, kms_key_id=aws_resources.kms_key_id),
        DynamoDBIdempotencyLedger(aws_resources.table_name, clock=clock),
    )


@pytest.fixture(params=["local", "aws"])
def report_storage(request) -> StoragePair:
    """The vault and ledger of the report function, once local and once on moto."""
    return request.getfixturevalue(f"{request.param}_report_storage")


class MemberStores(NamedTuple):
    """What the member API stores into: unpacks as ``directory, sessions``."""

    directory: object
    sessions: object


@pytest.fixture
def local_member_stores(tmp_path) -> MemberStores:
    db = tmp_path / "data" / "state.sqlite3"
    return MemberStores(SQLiteMemberDirectory(db), SQLiteSessionStore(db))


@pytest.fixture
def aws_member_stores(aws_resources) -> MemberStores:
    return MemberStores(
        DynamoDBMemberDirectory(aws_resources.members_table),
        DynamoDBSessionStore(aws_resources.sessions_table),
    )


@pytest.fixture(params=["local", "aws"])
def member_stores(request) -> MemberStores:
    """The member directory and session store, once in SQLite and once on moto."""
    return request.getfixturevalue(f"{request.param}_member_stores")


NOTIFY_LEDGER_TABLE = "uglymugs-test-notify-ledger"


def create_pk_sk_table(name: str) -> str:
    """A table as the SAM template makes the single-table stores: ``pk``/``sk`` strings,
    paid per request (the survey, cases and notification ledger tables)."""
    import boto3

    boto3.client("dynamodb").create_table(
        TableName=name,
        KeySchema=[
            {"AttributeName": "pk", "KeyType": "HASH"},
            {"AttributeName": "sk", "KeyType": "RANGE"},
        ],
        AttributeDefinitions=[
            {"AttributeName": "pk", "AttributeType": "S"},
            {"AttributeName": "sk", "AttributeType": "S"},
        ],
        BillingMode="PAY_PER_REQUEST",
    )
    return name


def create_notify_ledger_table(name: str = NOTIFY_LEDGER_TABLE) -> str:
    """The table as the SAM template makes it: ``pk``/``sk``, TTL on ``expiration``."""
    import boto3

    create_pk_sk_table(name)
    boto3.client("dynamodb").update_time_to_live(
        TableName=name, TimeToLiveSpecification={"Enabled": True, "AttributeName": "expiration"}
    )
    return name


@pytest.fixture
def local_notify_ledger(tmp_path) -> SQLiteNotificationLedger:
    return SQLiteNotificationLedger(tmp_path / "data" / "state.sqlite3")


@pytest.fixture
def aws_notify_ledger(mocked_aws) -> DynamoDBNotificationLedger:
    return DynamoDBNotificationLedger(create_notify_ledger_table())


@pytest.fixture(params=["local", "aws"])
def notify_ledger(request):
    """The notification ledger, once in SQLite and once in DynamoDB (moto)."""
    return request.getfixturevalue(f"{request.param}_notify_ledger")


def pytest_collection_modifyitems(config, items):
    """Run the browser tests last, and mark them.

    Playwright's sync API keeps an event loop running while its session-wide browser
    is open; Mangum, called in-process by other tests, needs to start its own.
    """
    browser_dir = Path(__file__).parent / "browser"
    in_browser = [item for item in items if browser_dir in Path(item.fspath).parents]
    for item in in_browser:
        item.add_marker(pytest.mark.browser)
    items[:] = [item for item in items if item not in in_browser] + in_browser
