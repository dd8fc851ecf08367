"""Case records in DynamoDB (the AWS adapter), in the staff table (``cases_table``).

Items have the partition key ``pk`` = ``case#<number>`` and the sort key ``sk`` =
``case`` (the audit log shares the table under ``pk`` = ``audit``). A save is one
conditional ``PutItem``: the item must be absent (version 1) or at the version the
save was based on; when the condition fails, the stored item comes back with the
error (``ReturnValuesOnConditionCheckFailure``), or is read. boto3 is imported on
first use.
"""

from __future__ import annotations

from typing import Any

from uglymugs.cases.store import SealedCase, StaleVersionError

PREFIX = "case#"
SORT = "case"


class DynamoDBCaseStore:
    def __init__(self, table_name: str, client: Any = None) -> None:
        self.table_name = table_name
        self._dynamodb = client

    def get(self, number: str) -> SealedCase | None:
        item = self._client.get_item(
            TableName=self.table_name, Key=_key(number), ConsistentRead=True
        ).get("Item")
        return _record(item) if item else None

    def put(self, record: SealedCase) -> None:
        from botocore.exceptions import ClientError

        if record.version == 1:
            condition, values = "attribute_not_exists(pk)", {}
        else:
            condition = "version = :previous"
            values = {":previous": {"N": str(record.version - 1)}}
        try:
            self._client.put_item(
                TableName=self.table_name,
                Item={
                    **_key(record.number),
                    "number": {"S": record.number},
                    "version": {"N": str(record.version)},
                    "key_id": {"S": record.key_id},
                    "ciphertext": {"B": record.ciphertext},
                    "saved_at": {"S": record.saved_at},
                },
                ConditionExpression=condition,
                **({"ExpressionAttributeValues": values} if values else {}),
            )
        except ClientError as error:
            if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
                raise
            current = self.get(record.number)
            raise StaleVersionError(current or SealedCase(record.number, 0, "", b"", "")) from None

    def all(self) -> list[SealedCase]:
        paginator = self._client.get_paginator("scan")
        records = []
        for page in paginator.paginate(
            TableName=self.table_name,
            FilterExpression="begins_with(pk, :prefix)",
            ExpressionAttributeValues={":prefix": {"S": PREFIX}},
            ConsistentRead=True,
        ):
            records += [_record(item) for item in page.get("Items", [])]
        return records

    def held_reports(self) -> set[str]:
        """Retention hold: every report with a case record (its status is sealed, so
        an open case cannot be told from a closed one without the case key)."""
        return {record.number for record in self.all()}

    @property
    def _client(self) -> Any:
        if self._dynamodb is None:
            import boto3

            self._dynamodb = boto3.client("dynamodb")
        return self._dynamodb


def _key(number: str) -> dict[str, dict[str, str]]:
    return {"pk": {"S": PREFIX + number}, "sk": {"S": SORT}}


def _record(item: dict[str, Any]) -> SealedCase:
    return SealedCase(
        item["number"]["S"],
        int(item["version"]["N"]),
        item["key_id"]["S"],
        bytes(item["ciphertext"]["B"]),
        item["saved_at"]["S"],
    )
