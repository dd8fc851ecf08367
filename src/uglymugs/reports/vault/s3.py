"""The report vault in an S3 bucket, each object encrypted with KMS (the AWS adapter).

``put_new`` is one conditional ``PutObject`` (``If-None-Match: *``), so a report
number can be taken once and a stored report is never replaced, even by two Lambda
instances racing. boto3 is imported and the client made on first use: importing
this module costs nothing at a cold start.

On AWS the report function's role may only ``s3:PutObject``; :meth:`S3ReportVault.get`
and :meth:`S3ReportVault.numbers` are for staff machines holding read rights.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

from uglymugs.reports.vault import StoredReport
from uglymugs.reports.vault.codec import (
    decode_stored_report,
    encode_stored_report,
    is_canonical_number,
)

KEY_PREFIX = "reports/"
SUFFIX = ".json"
# S3 answers 409 ConditionalRequestConflict when conditional writes to one key race;
# retrying then gets a definite answer (412 if the other write won).
_CONFLICT_RETRIES = 3


class S3ReportVault:
    """Sealed reports as ``reports/<number>.json`` objects in ``bucket``, SSE-KMS."""

    def __init__(self, bucket: str, kms_key_id: str | None = None, client: Any = None) -> None:
        self.bucket = bucket
        self.kms_key_id = kms_key_id  # None: the account's AWS-managed aws/s3 key
        self._s3 = client

    def put_new(self, report: StoredReport) -> bool:
        from botocore.exceptions import ClientError

        request = {
            "Bucket": self.bucket,
            "Key": _object_key(report.report_number),
            "Body": encode_stored_report(report),
            "ContentType": "application/json",
            "IfNoneMatch": "*",
            "ServerSideEncryption": "aws:kms",
        }
        if self.kms_key_id:
            request["SSEKMSKeyId"] = self.kms_key_id
        for attempt in range(_CONFLICT_RETRIES):
            try:
                self._client.put_object(**request)
                return True
            except ClientError as error:
                code = error.response.get("Error", {}).get("Code")
                if code == "PreconditionFailed":
                    return False
                if code != "ConditionalRequestConflict" or attempt == _CONFLICT_RETRIES - 1:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def get(self, report_number: str) -> StoredReport | None:
        from botocore.exceptions import ClientError

        if not is_canonical_number(report_number):
            return None
        try:
            response = self._client.get_object(Bucket=self.bucket, Key=_object_key(report_number))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in {"NoSuchKey", "404"}:
                return None
            raise
        with response["Body"] as body:
            return decode_stored_report(body.read())

    def numbers(self) -> Iterator[str]:
        return iter(sorted(self.number_set()))

    def listing_digest(self) -> str | None:
        return None  # listing the bucket is the cost: there is nothing cheaper

    def numbers_and_digest(self) -> tuple[list[str], str | None]:
        return sorted(self.number_set()), None

    def number_set(self, known: Collection[str] = ()) -> set[str]:
        paginator = self._client.get_paginator("list_objects_v2")
        stems: set[str] = set()
        for page in paginator.paginate(Bucket=self.bucket, Prefix=KEY_PREFIX):
            keys = [item["Key"] for item in page.get("Contents", [])]
            stems.update(
                key[len(KEY_PREFIX) : -len(SUFFIX)] for key in keys if key.endswith(SUFFIX)
            )
        # Only an object named as put_new names one is a report (get() finds no other).
        strangers = [stem for stem in stems.difference(known) if not is_canonical_number(stem)]
        stems.difference_update(strangers)
        return stems

    def delete(self, report_number: str) -> bool:
        from botocore.exceptions import ClientError

        if not is_canonical_number(report_number):
            return False
        key = _object_key(report_number)
        try:
            self._client.head_object(Bucket=self.bucket, Key=key)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in {"NoSuchKey", "404"}:
                return False
            raise
        self._client.delete_object(Bucket=self.bucket, Key=key)
        return True

    @property
    def _client(self) -> Any:
        if self._s3 is None:
            import boto3

            self._s3 = boto3.client("s3")
        return self._s3


def _object_key(report_number: str) -> str:
    if not is_canonical_number(report_number):
        raise ValueError(f"{report_number!r} is not a normalised report number")
    return f"{KEY_PREFIX}{report_number}{SUFFIX}"
