"""The survey store in SQLite (the local adapter of :class:`SurveyStore`).

Three tables in the data directory's ``state.sqlite3``. The markers and the responses
are ``WITHOUT ROWID`` tables keyed by a keyed hash and a random id: SQLite keeps such a
table in key order, so neither the rows' order nor any hidden row number tells which
answer was stored with which marker. A marker and its response are inserted in one
``BEGIN IMMEDIATE`` transaction.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from datetime import date
from pathlib import Path

from uglymugs.members.survey import (
    AlreadyAnsweredError,
    SurveyResponse,
    SurveyRound,
    new_response_id,
)
from uglymugs.sqlite_transactions import create_private_database, immediate_transaction

_SCHEMA = """
CREATE TABLE IF NOT EXISTS survey_rounds (
    id TEXT PRIMARY KEY,
    closes TEXT NOT NULL,
    closed INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS survey_markers (
    round TEXT NOT NULL,
    marker TEXT NOT NULL,
    submission TEXT NOT NULL,
    PRIMARY KEY (round, marker)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS survey_responses (
    round TEXT NOT NULL,
    id TEXT NOT NULL,
    answers TEXT NOT NULL,
    PRIMARY KEY (round, id)
) WITHOUT ROWID;
"""


class SQLiteSurveyStore:
    """Survey rounds, markers and responses in ``db_path``."""

    def __init__(self, db_path: Path) -> None:
        self.db_path = Path(db_path)
        create_private_database(self.db_path, _SCHEMA)

    def save_round(self, survey_round: SurveyRound) -> None:
        with immediate_transaction(self.db_path) as connection:
            connection.execute(
                "INSERT INTO survey_rounds VALUES (?, ?, ?) ON CONFLICT (id) "
                "DO UPDATE SET closes = excluded.closes, closed = excluded.closed",
                (survey_round.id, survey_round.closes.isoformat(), int(survey_round.closed)),
            )

    def round(self, round_id: str) -> SurveyRound | None:
        rows = self._query("SELECT id, closes, closed FROM survey_rounds WHERE id = ?", (round_id,))
        return _round(rows[0]) if rows else None

    def rounds(self) -> list[SurveyRound]:
        return [_round(row) for row in self._query("SELECT id, closes, closed FROM survey_rounds")]

    def has_answered(self, round_id: str, marker: str) -> bool:
        return bool(
            self._query(
                "SELECT 1 FROM survey_markers WHERE round = ? AND marker = ?", (round_id, marker)
            )
        )

    def record(self, marker: str, submission: str, response: SurveyResponse) -> bool:
        with immediate_transaction(self.db_path) as connection:
            found = connection.execute(
                "SELECT submission FROM survey_markers WHERE round = ? AND marker = ?",
                (response.round_id, marker),
            ).fetchone()
            if found is not None:
                if found[0] != submission:
                    raise AlreadyAnsweredError(response.round_id)
                return False
            connection.execute(
                "INSERT INTO survey_markers VALUES (?, ?, ?)",
                (response.round_id, marker, submission),
            )
            connection.execute(
                "INSERT INTO survey_responses VALUES (?, ?, ?)",
                (response.round_id, new_response_id(), _answers_json(response)),
            )
        return True

    def responses(self, round_id: str) -> list[SurveyResponse]:
        rows = self._query("SELECT answers FROM survey_responses WHERE round = ?", (round_id,))
        return [_response(round_id, answers) for (answers,) in rows]

    def _query(self, sql: str, parameters: tuple = ()) -> list[tuple]:
        with contextlib.closing(sqlite3.connect(self.db_path, timeout=30)) as connection:
            return connection.execute(sql, parameters).fetchall()


def _round(row: tuple) -> SurveyRound:
    round_id, closes, closed = row
    return SurveyRound(round_id, date.fromisoformat(closes), bool(closed))


def _answers_json(response: SurveyResponse) -> str:
    document = {"answers": response.answers, "comment": response.comment}
    return json.dumps(document, ensure_ascii=False, sort_keys=True)


def _response(round_id: str, stored: str) -> SurveyResponse:
    document = json.loads(stored)
    return SurveyResponse(round_id, dict(document["answers"]), document.get("comment"))
