"""The member API over SQLite and DynamoDB (moto): join, passwords, sessions, preferences."""

import re
from datetime import timedelta

import pytest

from uglymugs.members.sessions import COOKIE_NAME

SITE = "https://uglymugs.example"
PASSWORD = "a long enough passphrase"
APPLICATION = {
    "membership_type": "individual",
    "username": "DaveM",
    "email": "Dave@Example.org",
    "mobile": "07700 900001",
    "accept_terms": True,
    "service_users": ["women"],
    "monitoring": {"work": "independent_indoor", "gender": "prefer_not_to_say"},
}


def bodies(mailer):
    return [(m["To"], m.get_body(("plain",)).get_content()) for m in mailer.messages()]


def link_token(mailer) -> str:
    return re.search(r"#token=([A-Za-z0-9_-]+)", bodies(mailer)[-1][1]).group(1)


def approved_member(scheme, application=APPLICATION):
    client, services, staff, mailer = scheme
    assert client.post("/api/members", json=application).status_code == 202
    staff.change_status(application["username"], "approve")
    token = link_token(mailer)
    response = client.post("/api/members/password", json={"token": token, "password": PASSWORD})
    assert response.status_code == 204
    return services.directory.find(application["username"])


def log_in(client, login="DaveM", password=PASSWORD):
    return client.post("/api/session", json={"login": login, "password": password})


# Joining


def test_joining_stores_a_pending_member_and_mails_them(scheme):
    client, services, _, mailer = scheme
    response = client.post("/api/members", json=APPLICATION)
    assert response.status_code == 202 and response.json() == {"status": "pending"}
    member = services.directory.find("davem")
    assert member.status == "pending" and member.email == "dave@example.org"
    assert member.mobile == "+447700900001" and member.password_hash is None
    assert member.monitoring == {"work": "independent_indoor", "gender": "prefer_not_to_say"}
    assert bodies(mailer)[0][0] == "dave@example.org"


def test_joining_says_optionally_which_areas_the_member_works_in(scheme):
    client, services, _, _ = scheme
    application = {**APPLICATION, "areas": ["durham", "cleveland", "durham"]}
    assert client.post("/api/members", json=application).status_code == 202
    assert services.directory.find("davem").monitoring["areas"] == "cleveland durham"
    other = {**APPLICATION, "username": "Joanne", "email": "jo@example.org", "mobile": None}
    other["areas"] = ["prefer_not_to_say"]
    assert client.post("/api/members", json=other).status_code == 202
    assert services.directory.find("joanne").monitoring["areas"] == "prefer_not_to_say"


def test_a_retried_application_stores_and_mails_nothing_more(scheme):
    client, services, _, mailer = scheme
    for _ in range(3):
        assert client.post("/api/members", json=APPLICATION).json() == {"status": "pending"}
    assert len(services.directory.members()) == 1
    assert len(mailer.messages()) == 1


def test_a_taken_email_gets_the_same_answer_and_warns_its_owner(scheme):
    client, services, _, mailer = scheme
    client.post("/api/members", json=APPLICATION)
    other = {**APPLICATION, "username": "Someone", "email": "DAVE@example.org"}
    response = client.post("/api/members", json=other)
    assert (response.status_code, response.json()) == (202, {"status": "pending"})
    assert len(services.directory.members()) == 1
    to, text = bodies(mailer)[-1]
    assert to == "dave@example.org" and "tried to join" in text


def test_a_taken_username_gets_the_same_answer(scheme):
    client, services, _, mailer = scheme
    client.post("/api/members", json=APPLICATION)
    other = {**APPLICATION, "username": "davem", "email": "new@example.org"}
    response = client.post("/api/members", json=other)
    assert (response.status_code, response.json()) == (202, {"status": "pending"})
    assert len(services.directory.members()) == 1
    to, text = bodies(mailer)[-1]
    assert to == "new@example.org" and "different username" in text


@pytest.mark.parametrize(
    ("change", "status", "code", "field"),
    [
        ({"accept_terms": False}, 422, "invalid_field", "accept_terms"),
        ({"accept_terms": None}, 422, "invalid_field", "accept_terms"),
        ({"accept_terms": "true"}, 422, "invalid_field", "accept_terms"),
        ({"membership_type": "club"}, 422, "invalid_field", "membership_type"),
        ({"username": "x"}, 422, "invalid_field", "username"),
        ({"username": "has space"}, 422, "invalid_field", "username"),
        ({"email": "not-an-address"}, 422, "invalid_field", "email"),
        ({"mobile": "12"}, 422, "invalid_field", "mobile"),
        ({"service_users": ["everyone"]}, 422, "invalid_field", "service_users"),
        ({"monitoring": {"work": "x"}}, 422, "invalid_field", "monitoring.work"),
        ({"monitoring": {"age": "40"}}, 422, "unknown_field", "monitoring.age"),
        ({"nickname": "x"}, 422, "unknown_field", "nickname"),
        ({"areas": ["atlantis"]}, 422, "invalid_field", "areas"),
        ({"areas": []}, 422, "invalid_field", "areas"),
        ({"areas": ["cleveland", "prefer_not_to_say"]}, 422, "invalid_field", "areas"),
        ({"areas": "cleveland"}, 422, "invalid_field", "areas"),
        ({"membership_type": "project"}, 422, "missing_field", "organisation"),
        ({"membership_type": "site", "organisation": ""}, 422, "invalid_field", "organisation"),
    ],
)
def test_bad_applications_name_the_field_and_store_nothing(scheme, change, status, code, field):
    client, services, _, mailer = scheme
    response = client.post("/api/members", json={**APPLICATION, **change})
    assert response.status_code == status
    assert response.json()["error"]["code"] == code
    assert response.json()["error"]["field"] == field
    assert services.directory.members() == [] and mailer.messages() == []


def test_missing_fields_and_bad_bodies_are_refused(scheme):
    client, services, _, _ = scheme
    missing = {k: v for k, v in APPLICATION.items() if k != "accept_terms"}
    response = client.post("/api/members", json=missing)
    assert response.json()["error"] == {
        "code": "missing_field",
        "message": "accept_terms is required",
        "field": "accept_terms",
    }
    assert client.post("/api/members", content=b"{").json()["error"]["code"] in {
        "unsupported_media_type",
        "invalid_json",
    }
    not_json = client.post(
        "/api/members", content=b"{", headers={"content-type": "application/json"}
    )
    assert not_json.status_code == 400
    big = client.post(
        "/api/members", content=b" " * 20000, headers={"content-type": "application/json"}
    )
    assert big.status_code == 413
    assert services.directory.members() == []


def test_a_project_joins_with_its_organisation(scheme):
    client, services, _, _ = scheme
    project = {**APPLICATION, "membership_type": "project", "organisation": "Basis Yorkshire"}
    assert client.post("/api/members", json=project).status_code == 202
    assert services.directory.find("DaveM").organisation == "Basis Yorkshire"


# Approval and set-password links


def test_approval_mails_a_one_time_link_that_sets_the_password(scheme):
    client, services, staff, mailer = scheme
    client.post("/api/members", json=APPLICATION)
    staff.change_status("DaveM", "approve")
    to, text = bodies(mailer)[-1]
    assert to == "dave@example.org"
    assert f"{SITE}/members/set-password/#token=" in text
    token = link_token(mailer)
    response = client.post("/api/members/password", json={"token": token, "password": PASSWORD})
    assert response.status_code == 204
    member = services.directory.find("DaveM")
    assert member.password_hash.startswith("$argon2id$")
    again = client.post("/api/members/password", json={"token": token, "password": PASSWORD + "!"})
    assert again.status_code == 410 and again.json()["error"]["code"] == "link_used"
    assert services.directory.find("DaveM").password_hash == member.password_hash


def test_an_expired_link_is_refused(scheme, clock):
    client, services, staff, mailer = scheme
    client.post("/api/members", json=APPLICATION)
    staff.change_status("DaveM", "approve")
    clock.advance(timedelta(hours=48, seconds=1))
    response = client.post(
        "/api/members/password", json={"token": link_token(mailer), "password": PASSWORD}
    )
    assert response.status_code == 410 and response.json()["error"]["code"] == "link_expired"
    assert services.directory.find("DaveM").password_hash is None


@pytest.mark.parametrize(
    ("password", "code"),
    [("short", "weak_password"), ("DaveM", "weak_password"), ("davem12345", "weak_password")],
)
def test_weak_passwords_are_refused_and_leave_the_link_usable(scheme, password, code):
    client, _, staff, mailer = scheme
    client.post("/api/members", json=APPLICATION)
    staff.change_status("DaveM", "approve")
    token = link_token(mailer)
    response = client.post("/api/members/password", json={"token": token, "password": password})
    assert response.status_code == 422
    assert response.json()["error"] == {
        "code": code,
        "message": response.json()["error"]["message"],
        "field": "password",
    }
    ok = client.post("/api/members/password", json={"token": token, "password": PASSWORD})
    assert ok.status_code == 204


def test_an_unknown_token_is_refused(scheme):
    client, _, _, _ = scheme
    response = client.post("/api/members/password", json={"token": "x" * 43, "password": PASSWORD})
    assert response.status_code == 422 and response.json()["error"]["code"] == "link_unknown"


def test_password_reset_always_answers_202_and_mails_only_approved_members(scheme):
    client, _, _, mailer = scheme
    approved_member(scheme)
    before = len(mailer.messages())
    for login in ("nobody", "nobody@example.org"):
        response = client.post("/api/members/password-reset", json={"login": login})
        assert response.status_code == 202
    assert len(mailer.messages()) == before
    response = client.post("/api/members/password-reset", json={"login": "DAVE@example.org"})
    assert response.status_code == 202
    assert len(mailer.messages()) == before + 1
    new_password = "another long passphrase"
    token = link_token(mailer)
    response = client.post("/api/members/password", json={"token": token, "password": new_password})
    assert response.status_code == 204
    assert log_in(client, password=new_password).status_code == 204


def test_a_pending_member_gets_no_reset_link(scheme):
    client, _, _, mailer = scheme
    client.post("/api/members", json=APPLICATION)
    before = len(mailer.messages())
    assert client.post("/api/members/password-reset", json={"login": "DaveM"}).status_code == 202
    assert len(mailer.messages()) == before


# Sessions


def test_log_in_sets_a_host_only_secure_cookie_and_log_out_ends_it(scheme):
    client, _, _, _ = scheme
    approved_member(scheme)
    response = log_in(client)
    assert response.status_code == 204
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{COOKIE_NAME}=")
    for part in ("Path=/", "Secure", "HttpOnly", "SameSite=Strict"):
        assert part in cookie
    assert "Domain" not in cookie
    me = client.get("/api/members/me")
    assert me.status_code == 200
    assert me.json() == {
        "username": "DaveM",
        "membership_type": "individual",
        "has_mobile": True,
        "preferences": {
            "channels": ["email", "sms"],
            "regions": [],
            "risks": [],
            "discreet_sms": False,
        },
        "language": "en",
        "mobile_reminder_due": False,
    }
    token = client.cookies.get(COOKIE_NAME)
    assert client.delete("/api/session").status_code == 204
    client.cookies.set(COOKIE_NAME, token)
    assert client.get("/api/members/me").status_code == 401


def test_session_status_answers_200_whether_or_not_logged_in(scheme, clock):
    # The member page asks this first: a logged-out visit must not be a 401 (browsers
    # log those as console errors), and it tells no more than /api/members/me would.
    client, _, staff, _ = scheme
    approved_member(scheme)
    logged_out = client.get("/api/session")
    assert logged_out.status_code == 200
    assert logged_out.json() == {"signed_in": False}
    assert logged_out.headers["cache-control"] == "no-store"
    log_in(client)
    status = client.get("/api/session")
    assert status.json() == {"signed_in": True, "member": client.get("/api/members/me").json()}
    staff.change_status("DaveM", "suspend")
    assert client.get("/api/session").json() == {"signed_in": False}
    client.cookies.set(COOKIE_NAME, "not-a-session-token")
    assert client.get("/api/session").json() == {"signed_in": False}


def test_log_in_by_email_in_any_case(scheme):
    client, _, _, _ = scheme
    approved_member(scheme)
    assert log_in(client, login="DAVE@example.org").status_code == 204


def test_unknown_user_and_wrong_password_get_the_same_error(scheme):
    client, _, _, _ = scheme
    approved_member(scheme)
    wrong = log_in(client, password="not the password")
    unknown = log_in(client, login="nobody", password=PASSWORD)
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()
    assert wrong.json()["error"]["code"] == "login_failed"
    assert COOKIE_NAME not in wrong.headers.get("set-cookie", "")  # no session


def test_sessions_expire_after_30_idle_minutes(scheme, clock):
    client, _, _, _ = scheme
    approved_member(scheme)
    log_in(client)
    clock.advance(timedelta(minutes=29))
    assert client.get("/api/members/me").status_code == 200
    clock.advance(timedelta(minutes=29))
    assert client.get("/api/members/me").status_code == 200
    clock.advance(timedelta(minutes=30))
    assert client.get("/api/members/me").json()["error"]["code"] == "not_logged_in"


def test_sessions_end_after_12_hours_however_active(scheme, clock):
    client, _, _, _ = scheme
    approved_member(scheme)
    log_in(client)
    for _ in range(12 * 3):
        clock.advance(timedelta(minutes=20))
        response = client.get("/api/members/me")
    assert response.status_code == 401


def test_suspending_ends_a_live_session_and_stops_log_in(scheme):
    client, _, staff, _ = scheme
    approved_member(scheme)
    log_in(client)
    assert client.get("/api/members/me").status_code == 200
    staff.change_status("DaveM", "suspend")
    assert client.get("/api/members/me").status_code == 401
    refused = log_in(client)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "account_not_active"
    staff.change_status("DaveM", "reinstate")
    assert log_in(client).status_code == 204


def test_a_pending_member_cannot_log_in(scheme):
    client, _, _, _ = scheme
    client.post("/api/members", json=APPLICATION)
    assert log_in(client).status_code == 401


@pytest.mark.parametrize(
    "body",
    [{"login": "DaveM"}, {"login": "DaveM", "password": 5}, {"login": "", "password": "x"}],
)
def test_bad_log_in_bodies_name_the_field(scheme, body):
    client, _, _, _ = scheme
    response = client.post("/api/session", json=body)
    assert response.status_code == 422
    assert response.json()["error"]["field"] in {"login", "password"}


# Preferences


def test_member_endpoints_need_a_session(scheme):
    client, _, _, _ = scheme
    for method, path in [("GET", "/api/members/me"), ("GET", "/api/members/me/preferences")]:
        response = client.request(method, path)
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "not_logged_in"
    response = client.put("/api/members/me/preferences", json={})
    assert response.status_code == 401


def test_preferences_are_saved_and_read_back(scheme):
    client, services, _, _ = scheme
    approved_member(scheme)
    log_in(client)
    chosen = {
        "channels": ["sms", "email"],
        "regions": ["northumbria", "greater-manchester"],
        "risks": ["high"],
        "discreet_sms": True,
    }
    response = client.put("/api/members/me/preferences", json=chosen)
    assert response.status_code == 200
    expected = {
        "channels": ["email", "sms"],
        "regions": ["greater-manchester", "northumbria"],
        "risks": ["high"],
        "discreet_sms": True,
        "language": "en",
    }
    assert response.json() == expected
    assert client.get("/api/members/me/preferences").json() == expected
    assert services.directory.find("DaveM").preferences.discreet_sms is True
    assert services.directory.find("DaveM").preferences.chosen is True
    none = {"channels": [], "regions": [], "discreet_sms": False}
    assert client.put("/api/members/me/preferences", json=none).json()["risks"] == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"channels": ["pigeon"], "regions": [], "discreet_sms": False}, "channels"),
        ({"channels": [], "regions": ["atlantis"], "discreet_sms": False}, "regions"),
        ({"channels": [], "regions": [], "risks": ["extreme"], "discreet_sms": False}, "risks"),
        ({"channels": [], "regions": [], "discreet_sms": "yes"}, "discreet_sms"),
        ({"channels": [], "regions": []}, "discreet_sms"),
        ({"channels": [], "regions": [], "discreet_sms": False, "colour": 1}, "colour"),
        ({"channels": [], "regions": [], "discreet_sms": False, "language": "fr"}, "language"),
    ],
)
def test_bad_preferences_name_the_field_and_change_nothing(scheme, body, field):
    client, services, _, _ = scheme
    approved_member(scheme)
    log_in(client)
    before = services.directory.find("DaveM").preferences
    response = client.put("/api/members/me/preferences", json=body)
    assert response.status_code == 422 and response.json()["error"]["field"] == field
    assert services.directory.find("DaveM").preferences == before


def test_choosing_a_failing_channel_again_clears_its_failure(scheme, clock):
    client, services, _, _ = scheme
    member = approved_member(scheme)
    failing = member.with_channel_failing("email", "permanent bounce", clock())
    services.directory.save(failing.with_channel_failing("sms", "opted out", clock()))
    log_in(client)
    body = {"channels": ["email"], "regions": [], "discreet_sms": False}
    assert client.put("/api/members/me/preferences", json=body).status_code == 200
    saved = services.directory.find("DaveM")
    assert not saved.channel_failing("email")
    assert saved.failing_channels == {"sms": "opted out 2026-11-23T10:00:00Z"}


def test_sms_needs_a_mobile(scheme):
    client, _, _, _ = scheme
    without_mobile = {k: v for k, v in APPLICATION.items() if k != "mobile"}
    approved_member(scheme, without_mobile)
    log_in(client)
    body = {"channels": ["sms"], "regions": [], "discreet_sms": False}
    response = client.put("/api/members/me/preferences", json=body)
    assert response.status_code == 422 and response.json()["error"]["field"] == "channels"
