"""Canaries: a check's query is never logged or stored; join fields only in the directory.

Unique strings go into every join field and every check value (valid and invalid,
well-formed and broken requests); then every log line at DEBUG, everything printed,
and every stored byte is searched. Join fields may be where the directory keeps them
(``state.sqlite3``) and in the e-mail to the applicant (the outbox), nowhere else.
"""

import json
import logging
from base64 import b64encode

import pytest

from tests.functions.loading import load_function
from tests.functions.test_alerts_function import PASSWORD, invoke, json_event
from tests.lambda_events import CANARY_SOURCE_IP, CANARY_USER_AGENT, http_api_event
from tests.members.factories import a_member
from tests.members.test_published_alerts import KEY_ID, VERIFY_KEYS, publish_examples
from tests.privacy.test_report_canaries import everything_logged, stored_bytes  # noqa: F401
from uglymugs.alerts.shelf.files import LocalBundleShelf
from uglymugs.members.directory.sqlite import SQLiteMemberDirectory
from uglymugs.members.passwords import TEST_PARAMETERS

pytestmark = pytest.mark.attack("leakage")

JOIN_USERNAME = "Canary7f3dJoinName"
JOIN_EMAIL = "canary-join-0b5e@example.org"
JOIN_ORGANISATION = "Canary Organisation 4c2a"
JOIN_ROLE = "Canary Role 91ad"
JOIN_MOBILE = "+447700900871"
JOIN_CANARIES = (JOIN_USERNAME.lower(), JOIN_EMAIL, JOIN_ORGANISATION, JOIN_ROLE, JOIN_MOBILE)
CHECK_PHONE = "07700 900654"
CHECK_PHONE_E164 = "+447700900654"
CHECK_EMAIL = "canary-check-7e1f@example.org"
CHECK_PLATE = "CN51QZX"  # not in any example alert
CHECK_USERNAME = "canary-check-username-3d9c"
CHECK_BROKEN = "canary-check-not-a-phone-5a0b"
CHECK_CANARIES = (
    CHECK_PHONE,
    CHECK_PHONE_E164,
    CHECK_EMAIL,
    CHECK_PLATE,
    CHECK_USERNAME,
    CHECK_BROKEN,
    CANARY_SOURCE_IP,
    CANARY_USER_AGENT,
)


def test_alerts_function_logs_no_query_and_stores_join_fields_only_in_the_directory(
    monkeypatch,
    tmp_path,
    caplog,
    everything_logged,  # noqa: F811
):
    data = tmp_path / "data"
    monkeypatch.setenv("UGLYMUGS_DATA_DIR", str(data))
    keys = json.dumps({KEY_ID: b64encode(VERIFY_KEYS[KEY_ID]).decode()})
    monkeypatch.setenv("UGLYMUGS_BUNDLE_VERIFY_KEYS", keys)
    monkeypatch.setenv("POWERTOOLS_METRICS_NAMESPACE", "uglymugs-test")
    for name in ("UGLYMUGS_MEMBERS_TABLE", "UGLYMUGS_SESSIONS_TABLE", "UGLYMUGS_MAIL_FROM"):
        monkeypatch.delenv(name, raising=False)
    publish_examples(LocalBundleShelf(data / "shelf"), tmp_path / "publish")
    SQLiteMemberDirectory(data / "state.sqlite3").add(
        a_member(status="approved", password_hash=TEST_PARAMETERS.hash(PASSWORD))
    )
    function = load_function("alerts")
    for name in ("uglymugs", "alerts", "mangum", "uvicorn", "starlette"):
        logging.getLogger(name).addHandler(caplog.handler)

    application = {
        "membership_type": "project",
        "username": JOIN_USERNAME,
        "email": JOIN_EMAIL,
        "mobile": JOIN_MOBILE,
        "organisation": JOIN_ORGANISATION,
        "contact_role": JOIN_ROLE,
        "accept_terms": True,
    }
    for body in (application, application, {**application, "accept_terms": False}):
        response, text = invoke(function, json_event("POST", "/api/members", body))
        assert all(canary not in text for canary in JOIN_CANARIES)

    response, _ = invoke(
        function, json_event("POST", "/api/session", {"login": "DaveM", "password": PASSWORD})
    )
    session = [response["cookies"][0].split(";")[0]]
    checks = [
        {"kind": "phone", "value": CHECK_PHONE},
        {"kind": "email", "value": CHECK_EMAIL},
        {"kind": "plate", "value": CHECK_PLATE},
        {"kind": "username", "value": CHECK_USERNAME},
        {"kind": "phone", "value": CHECK_BROKEN},
        {"kind": "phone", "value": CHECK_PHONE, "note": CHECK_BROKEN},
    ]
    statuses = []
    for body in checks:
        response, text = invoke(function, json_event("POST", "/api/check", body), session)
        statuses.append(response["statusCode"])
        assert all(canary not in text for canary in CHECK_CANARIES)
    broken = http_api_event("POST", "/api/check", CHECK_BROKEN, {"content-type": "text/plain"})
    response, _ = invoke(function, broken, session)
    statuses.append(response["statusCode"])
    assert statuses == [200, 200, 200, 200, 422, 422, 415]

    logs = everything_logged()
    assert "membership application received" in logs  # logging really is captured
    for canary in (*CHECK_CANARIES, *JOIN_CANARIES, JOIN_USERNAME):
        assert canary not in logs, canary
    for path, content in stored_bytes(data):
        for canary in CHECK_CANARIES:
            assert canary.encode() not in content, (canary, path)
        expected_home = path.name == "state.sqlite3" or path.parent.name == "outbox"
        if not expected_home:
            for canary in (*JOIN_CANARIES, JOIN_USERNAME):
                assert canary.encode() not in content, (canary, path)
    directory = SQLiteMemberDirectory(data / "state.sqlite3")
    assert directory.find(JOIN_USERNAME).organisation == JOIN_ORGANISATION
