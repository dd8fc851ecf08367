"""The notification ledger in DynamoDB (the AWS adapter).

One table, partition key ``pk`` and sort key ``sk`` (both strings), TTL on
``expiration``:

- a delivery: ``pk = D#<alert>#<version>``, ``sk = <channel>#<member id>``;
- a plan: ``pk = P#<alert>``, ``sk = <version>#<channel>``;
- a finished publication: ``pk = S``, ``sk = <sequence, 10 digits>``.

Claims are conditional updates sent up to 100 at a time in ``TransactWriteItems``;
when the transaction is cancelled because some keys are not claimable, its
cancellation reasons say which, and the rest are claimed again without them. Outcomes
are recorded the same way (one key: a plain ``UpdateItem``): up to 100 keys — one SES
call's 50 addresses — in one transaction, all or nothing. boto3 is imported on first
use.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from uglymugs.members.directory import epoch, from_epoch
from uglymugs.notify.ledger import (
    CLAIM_LEASE,
    LEDGER_RETENTION,
    Delivery,
    DeliveryKey,
    DeliveryState,
    Plan,
    delivery_record,
)

TRANSACTION_LIMIT = 100  # items in one TransactWriteItems
_CLAIM_ATTEMPTS = 4
_CLAIMABLE = (
    "attribute_not_exists(pk)"
    " OR (#state = :failed AND (attribute_not_exists(next_attempt) OR next_attempt <= :now))"
    " OR (#state = :sending AND (attribute_not_exists(lease_until) OR lease_until <= :now))"
)


def _delivery_pk(alert: str, version: str) -> str:
    return f"D#{alert}#{version}"


class DynamoDBNotificationLedger:
    """:class:`~uglymugs.notify.ledger.NotificationLedger` in the table ``table_name``."""

    record_limit = TRANSACTION_LIMIT  # one TransactWriteItems: all of them or none

    def __init__(self, table_name: str, client: Any = None) -> None:
        self.table_name = table_name
        self._dynamodb = client

    def deliveries(self, alert: str, version: str) -> dict[DeliveryKey, Delivery]:
        found = {}
        for item in self._query(_delivery_pk(alert, version)):
            channel, _, member_id = item["sk"]["S"].partition("#")
            key = DeliveryKey(alert, version, channel, member_id)
            found[key] = Delivery(
                key,
                DeliveryState(item["state"]["S"]),
                int(item["attempts"]["N"]),
                from_epoch(int(item["updated_at"]["N"])),
                _optional_time(item, "lease_until"),
                _optional_time(item, "next_attempt"),
                item.get("error", {}).get("S"),
            )
        return found

    def claim(
        self, keys: Sequence[DeliveryKey], now: datetime, lease: timedelta = CLAIM_LEASE
    ) -> list[DeliveryKey]:
        claimed: list[DeliveryKey] = []
        for start in range(0, len(keys), TRANSACTION_LIMIT):
            claimed += self._claim_chunk(list(keys[start : start + TRANSACTION_LIMIT]), now, lease)
        return claimed

    def record_sent(self, keys: Iterable[DeliveryKey], now: datetime) -> None:
        self._record(keys, now, "SET #state = :state, updated_at = :now REMOVE lease_until", {})

    def record_failed(
        self, keys: Iterable[DeliveryKey], now: datetime, error: str, retry_at: datetime | None
    ) -> None:
        values: dict[str, Any] = {":error": {"S": error}}
        expression = "SET #state = :state, updated_at = :now, #error = :error"
        if retry_at is not None:
            values[":next"] = {"N": str(epoch(retry_at))}
            expression += ", next_attempt = :next"
        state = DeliveryState.FAILED if retry_at is not None else DeliveryState.GAVE_UP
        self._record(keys, now, expression + " REMOVE lease_until", values, state)

    def release(self, alert: str, version: str, now: datetime) -> int:
        """One conditional update per claimed delivery: only while it is still claimed."""
        from botocore.exceptions import ClientError

        released = 0
        for item in self._query(_delivery_pk(alert, version)):
            if item["state"]["S"] != DeliveryState.SENDING.value:
                continue
            try:
                self._client.update_item(
                    TableName=self.table_name,
                    Key={"pk": item["pk"], "sk": item["sk"]},
                    UpdateExpression="SET lease_until = :now",
                    ConditionExpression="#state = :sending",
                    ExpressionAttributeNames={"#state": "state"},
                    ExpressionAttributeValues={
                        ":now": {"N": str(epoch(now))},
                        ":sending": {"S": DeliveryState.SENDING.value},
                    },
                )
            except ClientError as error:
                if error.response["Error"]["Code"] != "ConditionalCheckFailedException":
                    raise
                continue  # recorded meanwhile: nothing to release
            released += 1
        return released

    def save_plan(self, plan: Plan) -> None:
        self._client.put_item(
            TableName=self.table_name,
            Item={
                "pk": {"S": f"P#{plan.alert}"},
                "sk": {"S": f"{plan.version}#{plan.channel}"},
                "kind": {"S": plan.kind},
                "sequence": {"N": str(plan.sequence)},
                "recipients": {"N": str(plan.recipients)},
                "skipped": {"N": str(plan.skipped)},
                "updated_at": {"N": str(epoch(plan.updated_at))},
                "expiration": {"N": str(epoch(plan.updated_at + LEDGER_RETENTION))},
            },
        )

    def plans(self, alert: str | None = None) -> list[Plan]:
        items = self._query(f"P#{alert}") if alert is not None else self._scan_prefix("P#")
        plans = []
        for item in items:
            version, _, channel = item["sk"]["S"].rpartition("#")
            plans.append(
                Plan(
                    alert=item["pk"]["S"].removeprefix("P#"),
                    version=version,
                    channel=channel,
                    kind=item["kind"]["S"],
                    sequence=int(item["sequence"]["N"]),
                    recipients=int(item["recipients"]["N"]),
                    skipped=int(item["skipped"]["N"]),
                    updated_at=from_epoch(int(item["updated_at"]["N"])),
                )
            )
        return sorted(plans, key=lambda plan: (plan.sequence, plan.alert, plan.channel))

    def mark_done(self, sequence: int, now: datetime) -> None:
        self._client.put_item(
            TableName=self.table_name,
            Item={
                "pk": {"S": "S"},
                "sk": {"S": f"{sequence:010d}"},
                "updated_at": {"N": str(epoch(now))},
                "expiration": {"N": str(epoch(now + LEDGER_RETENTION))},
            },
        )

    def done_sequences(self) -> set[int]:
        return {int(item["sk"]["S"]) for item in self._query("S")}

    def member_records(self, member_id: str) -> list[dict[str, Any]]:
        records = []
        for item in self._scan_prefix("D#"):
            channel, _, member = item["sk"]["S"].partition("#")
            if member != member_id:
                continue
            alert, _, version = item["pk"]["S"].removeprefix("D#").rpartition("#")
            updated = from_epoch(int(item["updated_at"]["N"]))
            state, attempts = item["state"]["S"], int(item["attempts"]["N"])
            records.append(delivery_record(alert, version, channel, state, attempts, updated))
        return sorted(records, key=lambda record: (record["updated_at"], record["alert"]))

    def forget_member(self, member_id: str) -> int:
        """Scans the deliveries: the member id is the end of each one's sort key."""
        mine = [
            item
            for item in self._scan_prefix("D#")
            if item["sk"]["S"].partition("#")[2] == member_id
        ]
        for item in mine:
            self._client.delete_item(
                TableName=self.table_name, Key={"pk": item["pk"], "sk": item["sk"]}
            )
        return len(mine)

    # -- internals ---------------------------------------------------------------------

    def _claim_chunk(
        self, keys: list[DeliveryKey], now: datetime, lease: timedelta
    ) -> list[DeliveryKey]:
        from botocore.exceptions import ClientError

        values = {
            ":sending": {"S": DeliveryState.SENDING.value},
            ":failed": {"S": DeliveryState.FAILED.value},
            ":now": {"N": str(epoch(now))},
            ":until": {"N": str(epoch(now + lease))},
            ":one": {"N": "1"},
            ":zero": {"N": "0"},
            ":expiration": {"N": str(epoch(now + LEDGER_RETENTION))},
        }
        for _ in range(_CLAIM_ATTEMPTS):
            if not keys:
                return []
            items = [
                {
                    "Update": {
                        "TableName": self.table_name,
                        "Key": _key(key),
                        "UpdateExpression": (
                            "SET #state = :sending,"
                            " attempts = if_not_exists(attempts, :zero) + :one,"
                            " updated_at = :now, lease_until = :until, expiration = :expiration"
                            " REMOVE next_attempt"
                        ),
                        "ConditionExpression": _CLAIMABLE,
                        "ExpressionAttributeNames": {"#state": "state"},
                        "ExpressionAttributeValues": values,
                    }
                }
                for key in keys
            ]
            try:
                self._client.transact_write_items(TransactItems=items)
                return keys
            except ClientError as error:
                reasons = error.response.get("CancellationReasons")
                if error.response["Error"]["Code"] != "TransactionCanceledException" or not reasons:
                    raise
                keys = [
                    key
                    for key, reason in zip(keys, reasons, strict=True)
                    if reason.get("Code") in (None, "None")
                ]
        raise RuntimeError("claims kept conflicting with another sender")

    def _record(
        self,
        keys: Iterable[DeliveryKey],
        now: datetime,
        expression: str,
        extra_values: dict[str, Any],
        state: DeliveryState = DeliveryState.SENT,
    ) -> None:
        keys = list(keys)
        names = {"#state": "state"}
        if "#error" in expression:
            names["#error"] = "error"
        values = {":state": {"S": state.value}, ":now": {"N": str(epoch(now))}, **extra_values}
        if len(keys) == 1:  # one SMS: a plain update is one call, and half the write cost
            self._client.update_item(
                TableName=self.table_name,
                Key=_key(keys[0]),
                UpdateExpression=expression,
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=values,
            )
            return
        for start in range(0, len(keys), TRANSACTION_LIMIT):
            self._client.transact_write_items(
                TransactItems=[
                    {
                        "Update": {
                            "TableName": self.table_name,
                            "Key": _key(key),
                            "UpdateExpression": expression,
                            "ExpressionAttributeNames": names,
                            "ExpressionAttributeValues": values,
                        }
                    }
                    for key in keys[start : start + TRANSACTION_LIMIT]
                ]
            )

    def _query(self, pk: str) -> list[dict[str, Any]]:
        pages = self._client.get_paginator("query").paginate(
            TableName=self.table_name,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": pk}},
            ConsistentRead=True,
        )
        return [item for page in pages for item in page["Items"]]

    def _scan_prefix(self, prefix: str) -> list[dict[str, Any]]:
        pages = self._client.get_paginator("scan").paginate(
            TableName=self.table_name,
            FilterExpression="begins_with(pk, :prefix)",
            ExpressionAttributeValues={":prefix": {"S": prefix}},
        )
        return [item for page in pages for item in page["Items"]]

    @property
    def _client(self) -> Any:
        if self._dynamodb is None:
            import boto3

            self._dynamodb = boto3.client("dynamodb")
        return self._dynamodb


def _key(key: DeliveryKey) -> dict[str, Any]:
    return {
        "pk": {"S": _delivery_pk(key.alert, key.version)},
        "sk": {"S": f"{key.channel}#{key.member_id}"},
    }


def _optional_time(item: dict[str, Any], name: str) -> datetime | None:
    value = item.get(name)
    return from_epoch(int(value["N"])) if value else None
