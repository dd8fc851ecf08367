"""What recovery on AWS rests on, and the restore steps docs/operations.md gives, on moto.

That the template turns these on is tested over the template itself:
``tests/infra/test_template_security.py::test_every_bucket_is_private_versioned_and_encrypted_under_the_data_key``
and ``::test_every_table_has_point_in_time_recovery_and_expiring_items_have_ttl``.
Here the steps of a restore are run against moto's S3 and DynamoDB.
"""

from __future__ import annotations

import boto3

from tests.conftest import IDEMPOTENCY_TABLE
from uglymugs.reports.claims.dynamodb import DynamoDBIdempotencyLedger
from uglymugs.reports.vault import StoredReport
from uglymugs.reports.vault.s3 import S3ReportVault

REPORT = StoredReport("UM-TVK1-YCPA-QC45", "report-abc", b"s" * 64, "2026-11-23T10:00:00Z")


def test_a_deleted_vault_report_comes_back_when_its_delete_marker_is_removed(aws_resources):
    vault = S3ReportVault(aws_resources.bucket, kms_key_id=aws_resources.kms_key_id)
    assert vault.put_new(REPORT)
    s3 = boto3.client("s3")
    key = next(iter(s3.list_objects_v2(Bucket=aws_resources.bucket)["Contents"]))["Key"]
    s3.delete_object(Bucket=aws_resources.bucket, Key=key)  # a mistake, with staff rights
    assert vault.get(REPORT.report_number) is None

    # docs/operations.md: list the key's versions, delete the delete marker.
    versions = s3.list_object_versions(Bucket=aws_resources.bucket, Prefix=key)
    (marker,) = versions["DeleteMarkers"]
    s3.delete_object(Bucket=aws_resources.bucket, Key=key, VersionId=marker["VersionId"])
    assert vault.get(REPORT.report_number) == REPORT


def test_point_in_time_recovery_restores_the_ledger_into_a_new_table(aws_resources):
    ledger = DynamoDBIdempotencyLedger(IDEMPOTENCY_TABLE)
    first = ledger.claim("key-digest", "payload-digest", REPORT.report_number)
    dynamodb = boto3.client("dynamodb")
    dynamodb.update_continuous_backups(
        TableName=IDEMPOTENCY_TABLE,
        PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": True},
    )

    # docs/operations.md: PITR restores into a new table, never over the live one.
    dynamodb.restore_table_to_point_in_time(
        SourceTableName=IDEMPOTENCY_TABLE,
        TargetTableName=f"{IDEMPOTENCY_TABLE}-restored",
        UseLatestRestorableTime=True,
    )
    restored = DynamoDBIdempotencyLedger(f"{IDEMPOTENCY_TABLE}-restored")
    again = restored.claim("key-digest", "payload-digest", "UM-0000-0000-0000")
    assert (again.report_number, again.created_now) == (first.report_number, False)
