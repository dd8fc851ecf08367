"""The survey store's two adapters for tests: SQLite, and two moto tables as the SAM
template makes them (``pk``/``sk`` each)."""

from __future__ import annotations

import pytest

from tests.conftest import create_pk_sk_table
from uglymugs.members.survey.dynamodb import DynamoDBSurveyStore
from uglymugs.members.survey.sqlite import SQLiteSurveyStore

SURVEY_TABLE = "uglymugs-test-survey"
RESPONSES_TABLE = "uglymugs-test-survey-responses"


def create_survey_tables() -> None:
    for name in (SURVEY_TABLE, RESPONSES_TABLE):
        create_pk_sk_table(name)


@pytest.fixture
def local_survey_store(tmp_path) -> SQLiteSurveyStore:
    return SQLiteSurveyStore(tmp_path / "data" / "state.sqlite3")


@pytest.fixture
def aws_survey_store(mocked_aws) -> DynamoDBSurveyStore:
    create_survey_tables()
    return DynamoDBSurveyStore(SURVEY_TABLE, RESPONSES_TABLE)


@pytest.fixture(params=["local", "aws"])
def survey_store(request):
    """The survey store, once in SQLite and once on moto."""
    return request.getfixturevalue(f"{request.param}_survey_store")
