"""The survey store in DynamoDB (the AWS adapter of :class:`SurveyStore`).

Two tables, so that the member API may write answers without ever reading them:

- the survey table (``pk``, ``sk``): rounds (``pk`` ``round``, ``sk`` the round id)
  and answered-markers (``pk`` ``answered#<round>``, ``sk`` the keyed hash);
- the responses table (``pk`` the round, ``sk`` a random id): the answers.

A marker and its response are one ``TransactWriteItems``, each put conditional on
its key being new: both are stored or neither. A cancelled transaction whose marker
already existed is a retry (same submission digest: nothing new) or a second answer
(:class:`AlreadyAnsweredError`). boto3 is imported on first use.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from uglymugs.members.survey import (
    AlreadyAnsweredError,
    SurveyResponse,
    SurveyRound,
    new_response_id,
)

_ROUNDS = "round"
_NEW = "attribute_not_exists(sk)"


class DynamoDBSurveyStore:
    """Rounds and markers in ``table_name``; answers in ``responses_table``."""

    def __init__(self, table_name: str, responses_table: str, client: Any = None) -> None:
        self.table_name = table_name
        self.responses_table = responses_table
        self._dynamodb = client

    def save_round(self, survey_round: SurveyRound) -> None:
        self._client.put_item(
            TableName=self.table_name,
            Item={
                "pk": {"S": _ROUNDS},
                "sk": {"S": survey_round.id},
                "closes": {"S": survey_round.closes.isoformat()},
                "closed": {"BOOL": survey_round.closed},
            },
        )

    def round(self, round_id: str) -> SurveyRound | None:
        item = self._client.get_item(
            TableName=self.table_name,
            Key={"pk": {"S": _ROUNDS}, "sk": {"S": round_id}},
            ConsistentRead=True,
        ).get("Item")
        return _round(item) if item else None

    def rounds(self) -> list[SurveyRound]:
        return [_round(item) for item in self._query(self.table_name, _ROUNDS)]

    def has_answered(self, round_id: str, marker: str) -> bool:
        return self._marker_submission(round_id, marker) is not None

    def record(self, marker: str, submission: str, response: SurveyResponse) -> bool:
        from botocore.exceptions import ClientError

        try:
            items = _record_items(self, marker, submission, response)
            self._client.transact_write_items(TransactItems=items)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "TransactionCanceledException":
                raise
            stored = self._marker_submission(response.round_id, marker)
            if stored is None:  # cancelled for another reason: not ours to guess
                raise
            if stored != submission:
                raise AlreadyAnsweredError(response.round_id) from None
            return False
        return True

    def responses(self, round_id: str) -> list[SurveyResponse]:
        return [
            SurveyResponse(
                round_id,
                {name: value["S"] for name, value in item["answers"]["M"].items()},
                item["comment"]["S"] if "comment" in item else None,
            )
            for item in self._query(self.responses_table, round_id)
        ]

    def _marker_submission(self, round_id: str, marker: str) -> str | None:
        item = self._client.get_item(
            TableName=self.table_name,
            Key={"pk": {"S": _marker_partition(round_id)}, "sk": {"S": marker}},
            ConsistentRead=True,
        ).get("Item")
        return item["submission"]["S"] if item else None

    def _query(self, table: str, partition: str) -> list[dict[str, Any]]:
        pages = self._client.get_paginator("query").paginate(
            TableName=table,
            KeyConditionExpression="pk = :pk",
            ExpressionAttributeValues={":pk": {"S": partition}},
            ConsistentRead=True,
        )
        return [item for page in pages for item in page.get("Items", [])]

    @property
    def _client(self) -> Any:
        if self._dynamodb is None:
            import boto3

            self._dynamodb = boto3.client("dynamodb")
        return self._dynamodb


def _marker_partition(round_id: str) -> str:
    return f"answered#{round_id}"


def _record_items(
    store: DynamoDBSurveyStore, marker: str, submission: str, response: SurveyResponse
) -> list[dict[str, Any]]:
    answer: dict[str, Any] = {
        "pk": {"S": response.round_id},
        "sk": {"S": new_response_id()},
        "answers": {"M": {name: {"S": value} for name, value in response.answers.items()}},
    }
    if response.comment:
        answer["comment"] = {"S": response.comment}
    marked = {
        "pk": {"S": _marker_partition(response.round_id)},
        "sk": {"S": marker},
        "submission": {"S": submission},
    }
    return [
        {"Put": {"TableName": store.table_name, "Item": marked, "ConditionExpression": _NEW}},
        {"Put": {"TableName": store.responses_table, "Item": answer, "ConditionExpression": _NEW}},
    ]


def _round(item: dict[str, Any]) -> SurveyRound:
    return SurveyRound(
        item["sk"]["S"], date.fromisoformat(item["closes"]["S"]), item["closed"]["BOOL"]
    )
