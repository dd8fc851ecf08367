"""The log-in throttle: growing delays per typed login, the same for every login, and a
cap per client token (issue 12: the lock told who was a member and locked anyone out)."""

from datetime import timedelta

import pytest
from starlette.testclient import TestClient

from tests.members.test_member_api import approved_member, log_in
from uglymugs.members.counter_keys import CounterKeys
from uglymugs.members.login_throttle import (
    CLIENT_ATTEMPTS_ALLOWED,
    CLIENT_COOKIE_NAME,
    MAX_DELAY,
    LoginThrottle,
    delay_after,
)
from uglymugs.web.errors import ApiError


def fresh_client(scheme) -> TestClient:
    """Another browser: no session, no client token."""
    client = scheme[0]
    return TestClient(client.app, base_url="https://testserver")


def answers(client, login, failures):
    seen = []
    for n in range(failures):
        response = log_in(client, login=login, password=f"wrong guess {n}")
        seen.append((response.status_code, response.json(), response.headers.get("retry-after")))
    return seen


def test_delays_grow_to_a_minute_and_never_beyond():
    delays = [delay_after(n) for n in range(1, 30)]
    assert delays[:3] == [timedelta(0)] * 3
    assert delays == sorted(delays) and max(delays) == MAX_DELAY == timedelta(minutes=1)
    assert delay_after(5) <= timedelta(minutes=1)


def test_a_known_username_its_email_and_an_unknown_login_get_the_same_answers(scheme):
    approved_member(scheme)
    logins = ["DaveM", "dave@example.org", "nobody@example.org"]
    seen = [answers(fresh_client(scheme), login, 5) for login in logins]
    assert seen[0] == seen[1] == seen[2]
    statuses = [status for status, _, _ in seen[0]]
    assert statuses == [401, 401, 401, 401, 429]
    _, body, retry_after = seen[0][-1]
    assert body["error"]["code"] == "too_many_attempts" and 0 < int(retry_after) <= 60


def test_failures_for_a_username_do_not_slow_its_email_address(scheme):
    client = scheme[0]
    approved_member(scheme)
    answers(fresh_client(scheme), "DaveM", 6)
    assert log_in(client, login="dave@example.org").status_code == 204


def test_while_a_delay_runs_even_the_right_password_waits_then_works(scheme, clock):
    client = scheme[0]
    approved_member(scheme)
    answers(client, "DaveM", 4)
    waiting = log_in(client)
    assert waiting.status_code == 429
    clock.advance(timedelta(seconds=int(waiting.headers["retry-after"])))
    assert log_in(client).status_code == 204
    assert log_in(client, password="one more typo").status_code == 401  # failures forgotten


def test_five_wrong_passwords_every_15_minutes_cannot_keep_a_member_out(scheme, clock):
    client = scheme[0]
    approved_member(scheme)
    attacker = fresh_client(scheme)
    for _ in range(39):  # two hours of a wrong password every three minutes
        assert log_in(attacker, password="a wrong guess").status_code == 401
        clock.advance(timedelta(minutes=3))
    assert log_in(attacker, password="a wrong guess").status_code == 401  # the 20th this hour
    waiting = log_in(client)  # the worst moment: just after the attacker's latest try
    assert waiting.status_code == 429 and int(waiting.headers["retry-after"]) <= 60
    clock.advance(timedelta(seconds=int(waiting.headers["retry-after"])))
    assert log_in(client).status_code == 204


def test_a_client_token_is_issued_with_a_refusal_and_capped(scheme):
    approved_member(scheme)
    client = fresh_client(scheme)
    first = log_in(client, login="someone-0", password="wrong guess")
    cookie = first.headers["set-cookie"]
    assert cookie.startswith(f"{CLIENT_COOKIE_NAME}=")
    for part in ("Path=/", "Secure", "HttpOnly", "SameSite=Strict"):
        assert part in cookie
    for n in range(1, CLIENT_ATTEMPTS_ALLOWED + 1):  # counted from the first with a token
        assert log_in(client, login=f"someone-{n}", password="wrong").status_code == 401
    capped = log_in(client, login="DaveM")  # a fresh login, even the right password
    assert capped.status_code == 429 and capped.json()["error"]["code"] == "too_many_attempts"
    assert int(capped.headers["retry-after"]) <= 15 * 60
    # Dropping the cookie escapes this cap (a new token comes with the next refusal),
    # never the delay of a login.
    client.cookies.clear()
    assert log_in(client, login="DaveM").status_code == 204


def test_the_throttle_refuses_before_any_password_is_checked(member_stores, clock):
    _, sessions = member_stores
    throttle = LoginThrottle(sessions, CounterKeys.ephemeral(), clock)
    for _ in range(4):
        throttle.admit("DaveM", None)
    with pytest.raises(ApiError) as refused:
        throttle.admit(" davem ", None)  # the same login as typed, trimmed and case-folded
    assert refused.value.status == 429 and refused.value.headers == {"Retry-After": "5"}
    throttle.succeeded("DAVEM")
    throttle.admit("DaveM", None)


def counter_ids(sessions) -> list[str]:
    """The id of every counter the session store holds, SQLite or DynamoDB."""
    if hasattr(sessions, "db_path"):
        return [
            row[0]
            for row in sessions._query("SELECT id FROM rate_hits UNION SELECT id FROM attempts")
        ]
    import boto3

    items = boto3.client("dynamodb").scan(TableName=sessions.table_name)["Items"]
    return [item["id"]["S"] for item in items if not item["id"]["S"].startswith("session#")]


def test_counter_keys_are_hmacs_never_what_was_typed(scheme):
    client, services, _, _ = scheme
    approved_member(scheme)
    answers(fresh_client(scheme), "Dave@Example.org", 2)
    answers(client, "DaveM", 2)
    ids = counter_ids(services.sessions)
    assert len(ids) >= 4
    for typed in ("dave@example.org", "davem", "example.org"):
        assert not any(typed in counter.casefold() for counter in ids), ids
