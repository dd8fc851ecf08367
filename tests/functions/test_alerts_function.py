"""The alerts Lambda entry point, invoked in-process with real-shaped HTTP API events."""

import json
from base64 import b64decode, b64encode

import pytest

from tests.functions.loading import load_function
from tests.lambda_events import FakeLambdaContext, http_api_event
from tests.members.factories import a_member
from tests.members.test_published_alerts import KEY_ID, VERIFY_KEYS, publish_examples
from uglymugs.alerts.shelf.files import LocalBundleShelf
from uglymugs.members.directory.sqlite import SQLiteMemberDirectory
from uglymugs.members.passwords import TEST_PARAMETERS

PASSWORD = "a long enough passphrase"


@pytest.fixture
def alerts_function(monkeypatch, tmp_path):
    data = tmp_path / "data"
    monkeypatch.setenv("UGLYMUGS_DATA_DIR", str(data))
    monkeypatch.setenv(
        "UGLYMUGS_BUNDLE_VERIFY_KEYS", json.dumps({KEY_ID: b64encode(VERIFY_KEYS[KEY_ID]).decode()})
    )
    monkeypatch.setenv("POWERTOOLS_METRICS_NAMESPACE", "uglymugs-test")
    for name in ("UGLYMUGS_MEMBERS_TABLE", "UGLYMUGS_SESSIONS_TABLE", "UGLYMUGS_MAIL_FROM"):
        monkeypatch.delenv(name, raising=False)
    publish_examples(LocalBundleShelf(data / "shelf"), tmp_path)
    SQLiteMemberDirectory(data / "state.sqlite3").add(
        a_member(status="approved", password_hash=TEST_PARAMETERS.hash(PASSWORD))
    )
    return load_function("alerts")


def invoke(function, event, cookies=None):
    if cookies:
        event["cookies"] = cookies
    response = function.handler(event, FakeLambdaContext())
    body = response.get("body") or ""
    if response.get("isBase64Encoded"):
        body = b64decode(body).decode()
    return response, body


def json_event(method, path, document):
    return http_api_event(method, path, json.dumps(document), {"content-type": "application/json"})


def test_join_log_in_check_bundle_log_out(alerts_function):
    response, body = invoke(
        alerts_function,
        json_event(
            "POST",
            "/api/members",
            {
                "membership_type": "individual",
                "username": "NewPerson",
                "email": "new@example.org",
                "accept_terms": True,
            },
        ),
    )
    assert response["statusCode"] == 202 and json.loads(body) == {"status": "pending"}

    response, _ = invoke(
        alerts_function,
        json_event("POST", "/api/session", {"login": "DaveM", "password": PASSWORD}),
    )
    assert response["statusCode"] == 204
    (cookie,) = response["cookies"]
    assert cookie.startswith("__Host-um_session=") and "HttpOnly" in cookie
    session = [cookie.split(";")[0]]

    check = json_event("POST", "/api/check", {"kind": "phone", "value": "07700 900123"})
    response, body = invoke(alerts_function, check, session)
    assert response["statusCode"] == 200
    assert [m["number"] for m in json.loads(body)["matches"]] == ["2026-0008"]

    response, body = invoke(alerts_function, http_api_event("GET", "/api/alerts/bundle"), session)
    assert response["statusCode"] == 200 and set(json.loads(body)) == {"bundle", "signature"}

    response, _ = invoke(alerts_function, http_api_event("DELETE", "/api/session"), session)
    assert response["statusCode"] == 204
    response, _ = invoke(alerts_function, http_api_event("GET", "/api/members/me"), session)
    assert response["statusCode"] == 401


def test_a_storage_failure_reaches_the_caller_as_a_503_with_retry_after(alerts_function, tmp_path):
    database = tmp_path / "data" / "state.sqlite3"
    database.unlink()
    database.mkdir()  # SQLite can no longer open it
    response, body = invoke(
        alerts_function, json_event("POST", "/api/session", {"login": "x", "password": "y"})
    )
    assert response["statusCode"] == 503
    assert int(response["headers"]["retry-after"]) >= 1
    assert json.loads(body)["error"]["code"] == "storage_unavailable"
