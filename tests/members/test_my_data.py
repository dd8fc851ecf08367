"""A member's own data: the download holds everything stored about them; closing the
account leaves no row behind and ends every session."""

import contextlib
import json
import sqlite3
from datetime import timedelta

import pytest
from starlette.testclient import TestClient

from tests.members.test_member_api import PASSWORD, approved_member, log_in
from uglymugs.members.api import MemberServices, create_member_app
from uglymugs.members.my_data_routes import DOWNLOAD_NAME, counter_keys_of
from uglymugs.members.passwords import TEST_PARAMETERS
from uglymugs.members.sessions import COOKIE_NAME, token_hash
from uglymugs.members.staff import StaffActions
from uglymugs.messaging.mailer.outbox import OutboxMailer
from uglymugs.notify.ledger import DeliveryKey

SITE = "https://uglymugs.example"


@pytest.fixture
def scheme(local_member_stores, local_notify_ledger, clock, tmp_path):
    """The member API over one SQLite database that also holds the notify ledger."""
    mailer = OutboxMailer(tmp_path / "outbox", notice=lambda _line: None, clock=clock)
    directory, sessions = local_member_stores
    services = MemberServices(
        directory,
        sessions,
        mailer,
        TEST_PARAMETERS,
        SITE,
        clock,
        member_records={"alerts_sent": local_notify_ledger},
    )
    client = TestClient(create_member_app(services), base_url="https://testserver")
    staff = StaffActions(directory, sessions, services.account_mail, SITE, clock)
    return client, services, staff, mailer


@pytest.fixture
def member_with_history(scheme, local_notify_ledger, clock):
    """An approved member who mistyped their password once, checked a number, was sent
    two alerts and is logged in."""
    client, services, _, _ = scheme
    member = approved_member(scheme)
    assert log_in(client, password="not the password").status_code == 401
    services.sessions.add_hit(
        services.counter_keys.key("check", member.id), timedelta(days=1), clock()
    )
    sent = [
        DeliveryKey("2026-0001", "v1", "email", member.id),
        DeliveryKey("2026-0002", "v1", "sms", member.id),
    ]
    local_notify_ledger.claim(sent, clock())
    local_notify_ledger.record_sent(sent, clock())
    assert log_in(client).status_code == 204
    return member


def database(tmp_path):
    return tmp_path / "data" / "state.sqlite3"


def every_row(tmp_path) -> dict[str, list[tuple]]:
    with contextlib.closing(sqlite3.connect(database(tmp_path))) as connection:
        tables = [
            name
            for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        return {table: connection.execute(f"SELECT * FROM {table}").fetchall() for table in tables}  # noqa: S608 - names from the schema


def test_the_download_holds_everything_stored_about_the_member(
    scheme, member_with_history, tmp_path
):
    client = scheme[0]
    member = member_with_history
    response = client.get("/api/members/me/data")
    assert response.status_code == 200
    assert response.headers["content-disposition"] == f'attachment; filename="{DOWNLOAD_NAME}"'
    document = response.json()
    shown = document["member"]
    assert (shown["id"], shown["username"], shown["email"]) == (
        member.id,
        "DaveM",
        "dave@example.org",
    )
    assert shown["mobile"] == member.mobile and shown["monitoring"] == member.monitoring
    assert shown["service_users"] == ["women"] and document["has_password"] is True
    # Every row keyed by the member's id is in the download, one entry each.
    keyed = sum(
        1
        for table, rows in every_row(tmp_path).items()
        if table != "members"
        for row in rows
        if member.id in row
    )
    assert len(document["sessions_and_links"]) + len(document["alerts_sent"]) == keyed
    kinds = sorted(record["kind"] for record in document["sessions_and_links"])
    assert kinds == ["link", "session"]
    assert {(sent["alert"], sent["channel"]) for sent in document["alerts_sent"]} == {
        ("2026-0001", "email"),
        ("2026-0002", "sms"),
    }
    text = response.text
    assert member.password_hash not in text and "password_hash" not in text
    assert token_hash(client.cookies[COOKIE_NAME]) not in text


def test_the_download_needs_a_session(scheme):
    response = scheme[0].get("/api/members/me/data")
    assert response.status_code == 401 and response.json()["error"]["code"] == "not_logged_in"


def test_a_closed_account_leaves_no_row_behind_and_ends_every_session(
    scheme, member_with_history, tmp_path
):
    client, services, _, _ = scheme
    member = member_with_history
    other_browser = TestClient(client.app, base_url="https://testserver")
    assert log_in(other_browser).status_code == 204
    keys = counter_keys_of(services, member)
    before = every_row(tmp_path)
    assert any(row[0].startswith(tuple(keys)) for row in before["rate_hits"] + before["attempts"])

    response = client.delete("/api/members/me")
    assert response.status_code == 204
    assert "Max-Age=0" in response.headers["set-cookie"]

    left = every_row(tmp_path)
    for table, rows in left.items():
        for row in rows:
            text = json.dumps(row)
            assert member.id not in text and "dave@example.org" not in text, table
            assert not str(row[0]).startswith(tuple(keys)), table
    assert other_browser.get("/api/members/me").status_code == 401
    assert client.get("/api/members/me/data").status_code == 401
    assert log_in(client, password=PASSWORD).status_code == 401
    assert services.directory.find("DaveM") is None


def test_closing_needs_a_session_and_changes_nothing_without_one(
    scheme, member_with_history, tmp_path
):
    before = every_row(tmp_path)
    anonymous = TestClient(scheme[0].app, base_url="https://testserver")
    response = anonymous.delete("/api/members/me")
    assert response.status_code == 401 and response.json()["error"]["code"] == "not_logged_in"
    assert every_row(tmp_path) == before
