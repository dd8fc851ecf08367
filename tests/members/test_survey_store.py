"""The survey store, one contract over both adapters: rounds, once per round, anonymity."""

from __future__ import annotations

import sqlite3
from datetime import date

import boto3
import pytest

from tests.members.survey_stores import RESPONSES_TABLE, SURVEY_TABLE
from uglymugs.members.survey import AlreadyAnsweredError, SurveyResponse, SurveyRound
from uglymugs.members.survey_rounds import RoundError, close_round, current_round, open_round

AUTUMN = SurveyRound("2026-autumn", date(2026, 12, 31))
YES = {"alert_helped": "yes", "feel_safer": "yes"}


def test_a_round_is_saved_read_and_closed(survey_store):
    survey_store.save_round(AUTUMN)
    assert survey_store.round("2026-autumn") == AUTUMN
    assert survey_store.round("2027-spring") is None
    assert close_round(survey_store, "2026-autumn").closed
    assert survey_store.rounds() == [SurveyRound("2026-autumn", date(2026, 12, 31), True)]


def test_one_round_is_open_at_a_time_and_only_until_its_day(survey_store):
    open_round(survey_store, "2026-autumn", date(2026, 12, 31), today=date(2026, 11, 29))
    with pytest.raises(RoundError, match="close it first"):
        open_round(survey_store, "2027-spring", date(2027, 4, 30), today=date(2026, 11, 29))
    assert current_round(survey_store, date(2026, 12, 31)) == AUTUMN
    assert current_round(survey_store, date(2027, 1, 1)) is None
    with pytest.raises(RoundError, match="in the past"):
        open_round(survey_store, "2025-old", date(2025, 1, 1), today=date(2026, 11, 29))
    with pytest.raises(RoundError, match="lower-case"):
        open_round(survey_store, "Autumn 2026", date(2026, 12, 31), today=date(2026, 11, 29))


def test_a_member_answers_once_and_a_retry_stores_nothing(survey_store):
    survey_store.save_round(AUTUMN)
    response = SurveyResponse("2026-autumn", YES, "thank you")
    assert survey_store.record("marker-a", "submission-1", response) is True
    assert survey_store.record("marker-a", "submission-1", response) is False
    with pytest.raises(AlreadyAnsweredError):
        survey_store.record("marker-a", "submission-2", SurveyResponse("2026-autumn", YES))
    assert survey_store.has_answered("2026-autumn", "marker-a")
    assert not survey_store.has_answered("2026-autumn", "marker-b")
    assert survey_store.responses("2026-autumn") == [response]


def test_the_same_member_may_answer_another_round(survey_store):
    survey_store.record("marker-autumn", "s1", SurveyResponse("2026-autumn", YES))
    survey_store.record("marker-spring", "s1", SurveyResponse("2027-spring", YES))
    assert len(survey_store.responses("2026-autumn")) == 1
    assert len(survey_store.responses("2027-spring")) == 1


def test_sqlite_keeps_answers_in_random_key_order_with_no_row_numbers(local_survey_store):
    for n in range(30):
        local_survey_store.record(f"marker-{n:02}", "s", SurveyResponse("r", YES, f"c{n:02}"))
    with sqlite3.connect(local_survey_store.db_path) as connection:
        with pytest.raises(sqlite3.OperationalError):  # WITHOUT ROWID: no insertion order
            connection.execute("SELECT rowid FROM survey_responses")
        stored = [row[0] for row in connection.execute("SELECT answers FROM survey_responses")]
        columns = [row[1] for row in connection.execute("PRAGMA table_info(survey_responses)")]
    assert columns == ["round", "id", "answers"]
    comments = [text.split('"comment": "')[1][:3] for text in stored]
    assert comments != sorted(comments)  # not the order they were written in


def test_dynamodb_keeps_answers_apart_from_markers_under_random_keys(aws_survey_store):
    aws_survey_store.record("marker-a", "s", SurveyResponse("2026-autumn", YES))
    dynamodb = boto3.client("dynamodb")
    answers = dynamodb.scan(TableName=RESPONSES_TABLE)["Items"]
    markers = dynamodb.scan(TableName=SURVEY_TABLE)["Items"]
    assert [set(item) for item in answers] == [{"pk", "sk", "answers"}]
    assert answers[0]["sk"]["S"] not in str(markers)
    assert "marker-a" not in str(answers)


def test_dynamodb_reads_every_page_of_a_rounds_answers(aws_survey_store):
    long_comment = "x" * 300_000  # four such answers pass DynamoDB's 1 MB page
    stored = [SurveyResponse("2026-autumn", YES, f"{n}{long_comment}") for n in range(4)]
    for n, response in enumerate(stored):
        aws_survey_store.record(f"marker-{n}", "s", response)
    first_page = boto3.client("dynamodb").query(
        TableName=RESPONSES_TABLE,
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": "2026-autumn"}},
    )
    assert "LastEvaluatedKey" in first_page and len(first_page["Items"]) < 4
    read = aws_survey_store.responses("2026-autumn")
    assert sorted(read, key=lambda response: response.comment or "") == stored


class _CrashingClient:
    """A DynamoDB client whose transactions fail as a lost connection would."""

    def __init__(self, client) -> None:
        self._client = client

    def transact_write_items(self, **_request):
        raise ConnectionError("lost")

    def __getattr__(self, name):
        return getattr(self._client, name)


def test_a_failed_dynamodb_write_leaves_neither_marker_nor_answer(aws_survey_store):
    from uglymugs.members.survey.dynamodb import DynamoDBSurveyStore

    crashing = DynamoDBSurveyStore(
        SURVEY_TABLE, RESPONSES_TABLE, client=_CrashingClient(boto3.client("dynamodb"))
    )
    with pytest.raises(ConnectionError):
        crashing.record("marker-a", "s", SurveyResponse("2026-autumn", YES))
    assert not aws_survey_store.has_answered("2026-autumn", "marker-a")
    assert aws_survey_store.record("marker-a", "s", SurveyResponse("2026-autumn", YES))
    assert len(aws_survey_store.responses("2026-autumn")) == 1
