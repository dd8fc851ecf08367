"""Idempotency claims in DynamoDB (the AWS adapter of :class:`IdempotencyLedger`).

A claim is one conditional ``PutItem``: it succeeds only if the key is absent or its
claim has expired, so of two Lambda instances racing exactly one binds the number.
The loser reads the winner's binding with a strongly consistent ``GetItem``. The
table has partition key ``id`` and TTL on ``expiration`` (epoch seconds); TTL deletes
lazily, so expiry is also checked here. boto3 is imported on first use.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from uglymugs.reports.claims import IDEMPOTENCY_TTL, IdempotencyClaim, UnknownClaimError, utc_now

_NAMES = {"#id": "id", "#expiration": "expiration"}
_LIVE_OR_ABSENT = "attribute_not_exists(#id) OR #expiration < :now"
# Between a failed PutItem and the GetItem the binding can expire; try again then.
_ATTEMPTS = 3


class ClaimRaceError(RuntimeError):
    """A claim that neither succeeded nor found a live binding after several attempts."""


class DynamoDBIdempotencyLedger:
    """Claims as items of ``table_name``: ``id``, ``payload_digest``, ``report_number``,
    ``expiration``."""

    def __init__(
        self,
        table_name: str,
        ttl: timedelta = IDEMPOTENCY_TTL,
        client: Any = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        self.table_name = table_name
        self.ttl = ttl
        self.clock = clock
        self._dynamodb = client

    def claim(self, key_digest: str, payload_digest: str, report_number: str) -> IdempotencyClaim:
        from botocore.exceptions import ClientError

        for _ in range(_ATTEMPTS):
            now = self.clock()
            try:
                self._client.put_item(
                    TableName=self.table_name,
                    Item={
                        "id": {"S": key_digest},
                        "payload_digest": {"S": payload_digest},
                        "report_number": {"S": report_number},
                        "expiration": {"N": str(_epoch(now + self.ttl))},
                    },
                    ConditionExpression=_LIVE_OR_ABSENT,
                    ExpressionAttributeNames=_NAMES,
                    ExpressionAttributeValues={":now": {"N": str(_epoch(now))}},
                )
                return IdempotencyClaim(report_number, payload_digest, created_now=True)
            except ClientError as error:
                if not _condition_failed(error):
                    raise
            item = self._client.get_item(
                TableName=self.table_name, Key={"id": {"S": key_digest}}, ConsistentRead=True
            ).get("Item")
            if item and int(item["expiration"]["N"]) >= _epoch(now):
                return IdempotencyClaim(
                    item["report_number"]["S"], item["payload_digest"]["S"], created_now=False
                )
        raise ClaimRaceError("the idempotency claim kept changing; try the request again")

    def rebind(self, key_digest: str, report_number: str) -> None:
        from botocore.exceptions import ClientError

        try:
            self._client.update_item(
                TableName=self.table_name,
                Key={"id": {"S": key_digest}},
                UpdateExpression="SET report_number = :number",
                ConditionExpression="attribute_exists(#id) AND #expiration >= :now",
                ExpressionAttributeNames=_NAMES,
                ExpressionAttributeValues={
                    ":number": {"S": report_number},
                    ":now": {"N": str(_epoch(self.clock()))},
                },
            )
        except ClientError as error:
            if _condition_failed(error):
                raise UnknownClaimError("no live claim for this idempotency key") from None
            raise

    @property
    def _client(self) -> Any:
        if self._dynamodb is None:
            import boto3

            self._dynamodb = boto3.client("dynamodb")
        return self._dynamodb


def _condition_failed(error: Any) -> bool:
    return error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException"


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())
