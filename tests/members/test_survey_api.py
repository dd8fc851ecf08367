"""The member survey API: anonymous answers, once per round, clear refusals.

The canary comes first: after a member answers, nothing that could name them (their
id, username, e-mail address, session, the client's address or user agent) is in the
row that holds their answers, nor in the logs; the marker that they answered holds
none of them either, only a keyed hash.
"""

from __future__ import annotations

import logging
from datetime import date

import pytest
from starlette.testclient import TestClient

from tests.members.conftest import SITE
from tests.members.test_member_api import APPLICATION, approved_member, log_in
from tests.members.test_my_data import every_row
from uglymugs.members.api import MemberServices, create_member_app
from uglymugs.members.passwords import TEST_PARAMETERS
from uglymugs.members.sessions import COOKIE_NAME
from uglymugs.members.staff import StaffActions
from uglymugs.members.survey import SurveyRound
from uglymugs.members.survey.sqlite import SQLiteSurveyStore
from uglymugs.messaging.mailer.outbox import OutboxMailer

ROUTE = "/api/members/me/survey"
ROUND = SurveyRound("2026-autumn", date(2026, 12, 31))
USER_AGENT = "Canary-Agent/9.9 (uglymugs-canary)"


def answer(comment=None, submission="first-submission-0001", **changes):
    body = {
        "round": "2026-autumn",
        "submission": submission,
        "alert_helped": "yes",
        "feel_safer": "prefer_not_to_say",
    }
    if comment is not None:
        body["comment"] = comment
    return {**body, **changes}


@pytest.fixture
def scheme(local_member_stores, clock, tmp_path):
    """The member API over one SQLite database holding members and the survey."""
    mailer = OutboxMailer(tmp_path / "outbox", notice=lambda _line: None, clock=clock)
    directory, sessions = local_member_stores
    store = SQLiteSurveyStore(tmp_path / "data" / "state.sqlite3")
    services = MemberServices(
        directory, sessions, mailer, TEST_PARAMETERS, SITE, clock, survey_store=store
    )
    client = TestClient(
        create_member_app(services),
        base_url="https://testserver",
        headers={"User-Agent": USER_AGENT},
        client=("203.0.113.77", 50123),
    )
    staff = StaffActions(directory, sessions, services.account_mail, SITE, clock)
    return client, services, staff, mailer


@pytest.fixture
def member(scheme):
    client, services, _, _ = scheme
    found = approved_member(scheme)
    assert log_in(client).status_code == 204
    services.survey_store.save_round(ROUND)
    return found


@pytest.mark.attack("leakage")
def test_canary_no_member_detail_is_stored_beside_an_answer_or_logged(
    scheme, member, tmp_path, caplog
):
    client = scheme[0]
    session = client.cookies.get(COOKIE_NAME)
    caplog.set_level(logging.DEBUG)
    response = client.post(ROUTE, json=answer("the alert about the silver van helped"))
    assert response.status_code == 201
    canaries = [member.id, "DaveM", "dave@example.org", "203.0.113.77", USER_AGENT, session]
    rows = every_row(tmp_path)
    assert [row[2] for row in rows["survey_responses"]] == [
        '{"answers": {"alert_helped": "yes", "feel_safer": "prefer_not_to_say"}, '
        '"comment": "the alert about the silver van helped"}'
    ]
    for table in ("survey_responses", "survey_markers"):
        for row in rows[table]:
            for canary in canaries:
                assert canary.lower() not in repr(row).lower(), (table, canary)
    for canary in [*canaries, "silver van"]:
        assert canary not in caplog.text


def test_the_form_is_offered_while_a_round_is_open_and_not_answered(scheme, member, clock):
    client = scheme[0]
    assert client.get(ROUTE).json() == {
        "round": {"id": "2026-autumn", "closes": "2026-12-31"},
        "answered": False,
    }
    assert client.post(ROUTE, json=answer()).status_code == 201
    assert client.get(ROUTE).json()["answered"] is True


def test_a_retry_answers_the_same_and_stores_nothing_new(scheme, member, tmp_path):
    client = scheme[0]
    assert client.post(ROUTE, json=answer()).status_code == 201
    again = client.post(ROUTE, json=answer())
    assert again.status_code == 200 and again.json() == {"recorded": True, "round": "2026-autumn"}
    assert len(every_row(tmp_path)["survey_responses"]) == 1


def test_a_second_answer_is_409_naming_the_rule(scheme, member, tmp_path):
    client = scheme[0]
    assert client.post(ROUTE, json=answer()).status_code == 201
    second = client.post(ROUTE, json=answer(submission="second-submission-002", feel_safer="no"))
    assert second.status_code == 409
    assert second.json()["error"]["code"] == "already_answered"
    assert "once per round" in second.json()["error"]["message"]
    assert len(every_row(tmp_path)["survey_responses"]) == 1


def test_no_answers_outside_an_open_round(scheme, member, clock):
    client, services, _, _ = scheme
    wrong = client.post(ROUTE, json=answer(round="2027-spring"))
    assert wrong.status_code == 409 and wrong.json()["error"]["code"] == "survey_closed"
    services.survey_store.save_round(SurveyRound("2026-autumn", date(2026, 11, 1)))
    assert client.get(ROUTE).json() == {"round": None, "answered": False}
    closed = client.post(ROUTE, json=answer())
    assert closed.status_code == 409 and closed.json()["error"]["field"] == "round"


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"alert_helped": "maybe"}, "invalid_field", "alert_helped"),
        ({"feel_safer": None}, "invalid_field", "feel_safer"),
        ({"comment": "x" * 1001}, "invalid_field", "comment"),
        ({"comment": "fine\x1b[2Jcleared"}, "invalid_field", "comment"),
        ({"comment": "evil \u202etxt.exe"}, "invalid_field", "comment"),
        ({"submission": "short"}, "invalid_field", "submission"),
        ({"who": "me"}, "unknown_field", "who"),
    ],
)
def test_bad_input_is_422_naming_the_field_and_stores_nothing(
    scheme, member, tmp_path, changes, code, field
):
    client = scheme[0]
    response = client.post(ROUTE, json=answer(**changes))
    assert response.status_code == 422
    assert response.json()["error"]["code"] == code
    assert response.json()["error"]["field"] == field
    assert every_row(tmp_path)["survey_responses"] == []
    assert every_row(tmp_path)["survey_markers"] == []


def test_a_missing_answer_is_named(scheme, member):
    body = answer()
    del body["feel_safer"]
    response = scheme[0].post(ROUTE, json=body)
    assert response.status_code == 422
    assert response.json()["error"] == {
        "code": "missing_field",
        "message": "feel_safer is required",
        "field": "feel_safer",
    }


def test_a_comment_keeps_its_lines_and_loses_its_edges(scheme, member):
    client, services, _, _ = scheme
    assert client.post(ROUTE, json=answer(comment="  line one\r\nline two\n ")).status_code == 201
    assert [r.comment for r in services.survey_store.responses("2026-autumn")] == [
        "line one\nline two"
    ]


def test_without_a_session_nothing_is_shown_or_stored(scheme, member, tmp_path):
    client = scheme[0]
    client.cookies.clear()
    assert client.get(ROUTE).status_code == 401
    assert client.post(ROUTE, json=answer()).status_code == 401
    assert every_row(tmp_path)["survey_responses"] == []


def test_two_members_answers_cannot_be_told_apart_from_the_markers(scheme, member, tmp_path):
    client = scheme[0]
    assert client.post(ROUTE, json=answer()).status_code == 201
    other = approved_member(
        scheme,
        {
            **APPLICATION,
            "username": "Sam",
            "email": "sam@example.org",
        },
    )
    assert other.id != member.id
    client.cookies.clear()
    assert log_in(client, login="Sam").status_code == 204
    assert client.post(ROUTE, json=answer(submission="sams-submission-0001")).status_code == 201
    rows = every_row(tmp_path)
    markers = {row[1] for row in rows["survey_markers"]}
    ids = {row[1] for row in rows["survey_responses"]}
    assert len(markers) == 2 and len(ids) == 2 and not markers & ids
