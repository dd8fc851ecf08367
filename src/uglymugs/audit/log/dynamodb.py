"""The audit log in DynamoDB (the AWS adapter), in the staff table (``cases_table``).

Entries share the table with case records under the partition key ``pk`` = ``audit``
and the sort key ``sk`` = the sequence number, zero-padded; an append is a
conditional ``PutItem`` that fails when the number is taken. boto3 is imported on
first use.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from uglymugs.audit.log import AuditEntry

PARTITION = "audit"
_DIGITS = 12


class DynamoDBAuditLog:
    def __init__(self, table_name: str, client: Any = None, partition: str = PARTITION) -> None:
        self.table_name = table_name
        self.partition = partition  # another chain in the same table (the sharing ledger)
        self._dynamodb = client

    def append(self, entry: AuditEntry) -> bool:
        from botocore.exceptions import ClientError

        try:
            self._client.put_item(
                TableName=self.table_name,
                Item={
                    "pk": {"S": self.partition},
                    "sk": {"S": str(entry.sequence).zfill(_DIGITS)},
                    "entry": {"S": entry.to_json()},
                },
                ConditionExpression="attribute_not_exists(pk)",
            )
        except ClientError as error:
            if error.response["Error"]["Code"] == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def last(self) -> AuditEntry | None:
        items = self._query(ScanIndexForward=False, Limit=1)
        return next(items, None)

    def entries(self) -> Iterator[AuditEntry]:
        return self._query(ScanIndexForward=True)

    def _query(self, **options: Any) -> Iterator[AuditEntry]:
        paginator = self._client.get_paginator("query")
        pages = paginator.paginate(
            TableName=self.table_name,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": self.partition}},
            ConsistentRead=True,
            **options,
        )
        limit = options.get("Limit")
        count = 0
        for page in pages:
            for item in page.get("Items", []):
                yield AuditEntry.from_json(item["entry"]["S"])
                count += 1
                if limit and count >= limit:
                    return

    @property
    def _client(self) -> Any:
        if self._dynamodb is None:
            import boto3

            self._dynamodb = boto3.client("dynamodb")
        return self._dynamodb
