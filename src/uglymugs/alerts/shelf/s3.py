"""The bundle shelf in a private S3 bucket (the AWS adapter).

Each file is one object, written with ``If-None-Match: *`` so it is never replaced;
the manifest is one ``PutObject`` on ``manifest.json``, which S3 makes visible
atomically (a reader gets the whole old object or the whole new one), and since S3 is
strongly consistent, the files it names are readable as soon as it is. Objects are
encrypted with SSE-KMS under ``kms_key_id`` when one is given (otherwise the bucket's
default encryption applies). Members never read the bucket directly: the alerts
function hands them presigned URLs.

boto3 is imported and the client made on first use, as in :mod:`.s3_vault`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from uglymugs.alerts.shelf import (
    MANIFEST_NAME,
    ShelfConflictError,
    ShelfError,
    check_name,
)

_DELETE_BATCH = 1000  # DeleteObjects takes at most 1,000 keys
_CONFLICT_RETRIES = 3
_CONTENT_TYPES = {
    ".json": "application/json",
    ".sig": "application/json",
    ".html": "text/html; charset=utf-8",
}
# Files under a sequence prefix never change; the manifest changes with every publish.
_IMMUTABLE = "private, max-age=31536000, immutable"
_NO_CACHE = "private, no-cache"


class S3BundleShelf:
    """Bundle files as objects in ``bucket``, the manifest as ``manifest.json``."""

    def __init__(self, bucket: str, kms_key_id: str | None = None, client: Any = None) -> None:
        self.bucket = bucket
        self.kms_key_id = kms_key_id
        self._s3 = client

    def put(self, name: str, data: bytes) -> None:
        from botocore.exceptions import ClientError

        request = self._put_request(check_name(name), data, _IMMUTABLE)
        request["IfNoneMatch"] = "*"
        for attempt in range(_CONFLICT_RETRIES):
            try:
                self._client.put_object(**request)
                return
            except ClientError as error:
                code = error.response.get("Error", {}).get("Code")
                if code == "PreconditionFailed":
                    # Already there: fine if it is the same file (a retried request).
                    if self.get(name) != data:
                        raise ShelfConflictError(
                            f"{name} is already on the shelf with other bytes"
                        ) from None
                    return
                if code != "ConditionalRequestConflict" or attempt == _CONFLICT_RETRIES - 1:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover

    def get(self, name: str) -> bytes | None:
        return self._get(check_name(name))

    def presigned_url(self, name: str, expires_in: int = 300) -> str:
        """A URL that lets its holder GET ``name`` for ``expires_in`` seconds (members' bundles)."""
        return self._client.generate_presigned_url(
            "get_object",
            Params={"Bucket": self.bucket, "Key": check_name(name)},
            ExpiresIn=expires_in,
        )

    def put_manifest(self, data: bytes) -> None:
        self._client.put_object(**self._put_request(MANIFEST_NAME, data, _NO_CACHE))

    def get_manifest(self) -> bytes | None:
        return self._get(MANIFEST_NAME)

    def names(self, prefix: str = "") -> list[str]:
        paginator = self._client.get_paginator("list_objects_v2")
        found = []
        for page in paginator.paginate(Bucket=self.bucket, Prefix=prefix):
            for item in page.get("Contents", []):
                if item["Key"] != MANIFEST_NAME:
                    found.append(item["Key"])
        return sorted(found)

    def delete(self, names: Iterable[str]) -> None:
        keys = [check_name(name) for name in names]
        for start in range(0, len(keys), _DELETE_BATCH):
            batch = keys[start : start + _DELETE_BATCH]
            response = self._client.delete_objects(
                Bucket=self.bucket,
                Delete={"Objects": [{"Key": key} for key in batch], "Quiet": True},
            )
            if response.get("Errors"):
                first = response["Errors"][0]
                raise ShelfError(f"could not delete {first.get('Key')}: {first.get('Message')}")

    def _put_request(self, key: str, data: bytes, cache_control: str) -> dict[str, Any]:
        suffix = key[key.rfind(".") :]
        request: dict[str, Any] = {
            "Bucket": self.bucket,
            "Key": key,
            "Body": data,
            "ContentType": _CONTENT_TYPES.get(suffix, "application/octet-stream"),
            "CacheControl": cache_control,
        }
        if self.kms_key_id:
            request["ServerSideEncryption"] = "aws:kms"
            request["SSEKMSKeyId"] = self.kms_key_id
        return request

    def _get(self, key: str) -> bytes | None:
        from botocore.exceptions import ClientError

        try:
            response = self._client.get_object(Bucket=self.bucket, Key=key)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in {"NoSuchKey", "404"}:
                return None
            raise
        with response["Body"] as body:
            return body.read()

    @property
    def _client(self) -> Any:
        if self._s3 is None:
            import boto3

            self._s3 = boto3.client("s3")
        return self._s3
