"""``uglymugs survey`` against the data directory's SQLite survey store."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from uglymugs.cli import main
from uglymugs.members.survey import SurveyResponse
from uglymugs.members.survey.sqlite import SQLiteSurveyStore

NEXT_WEEK = (datetime.now(UTC).date() + timedelta(days=7)).isoformat()


@pytest.fixture
def store(tmp_path, monkeypatch):
    data = tmp_path / "data"
    monkeypatch.setenv("UGLYMUGS_DATA_DIR", str(data))
    tables = ("UGLYMUGS_SURVEY_TABLE", "UGLYMUGS_SURVEY_RESPONSES_TABLE", "UGLYMUGS_CASES_TABLE")
    for name in tables:
        monkeypatch.delenv(name, raising=False)
    return SQLiteSurveyStore(data / "state.sqlite3")


def answer(n: int, safer: str = "yes", comment: str | None = None) -> SurveyResponse:
    return SurveyResponse("2026-autumn", {"alert_helped": "yes", "feel_safer": safer}, comment)


def test_open_list_close_and_one_round_at_a_time(store, capsys):
    assert main(["survey", "open", "2026-autumn", "--closes", NEXT_WEEK]) == 0
    assert f"open in the member area until the end of {NEXT_WEEK}" in capsys.readouterr().out
    assert main(["survey", "open", "2027-spring", "--closes", NEXT_WEEK]) == 1
    assert "close it first" in capsys.readouterr().err
    assert main(["survey", "list"]) == 0
    assert "2026-autumn\tcloses" in capsys.readouterr().out
    assert main(["survey", "close", "2026-autumn"]) == 0
    assert main(["survey", "list"]) == 0
    assert capsys.readouterr().out.rstrip().endswith("closed")
    assert main(["survey", "close", "no-such"]) == 1
    assert "there is no survey round no-such" in capsys.readouterr().err


def test_results_as_json_and_text_hide_small_rounds(store, capsys):
    assert main(["survey", "open", "2026-autumn", "--closes", NEXT_WEEK]) == 0
    for n in range(3):
        store.record(f"m{n}", "s", answer(n))
    assert main(["survey", "results", "2026-autumn", "--json"]) == 0
    out = capsys.readouterr().out
    figures = json.loads(out[out.index("{") :])
    assert figures["answers"] is None and figures["suppressed"] is True
    for n in range(3, 12):
        store.record(f"m{n}", "s", answer(n, "no" if n < 8 else "yes"))
    assert main(["survey", "results", "2026-autumn"]) == 0
    text = capsys.readouterr().out
    assert "12 answers" in text and "yes: 7 (58.3%, 95% CI 32.0–80.7%)" in text


def test_comments_are_shown_to_staff_escaped(store, capsys):
    assert main(["survey", "open", "2026-autumn", "--closes", NEXT_WEEK]) == 0
    capsys.readouterr()
    store.record("m1", "s", answer(1, comment="thank you\x1b]0;owned\x07"))
    assert main(["survey", "comments", "2026-autumn"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "thank you\\x1b]0;owned" in out


def test_a_bad_date_is_one_clear_line(store, capsys):
    with pytest.raises(SystemExit):
        main(["survey", "open", "2026-autumn", "--closes", "next week"])
    assert "YYYY-MM-DD" in capsys.readouterr().err
