"""API tokens: stored hashed over SQLite and DynamoDB (moto), made, listed and revoked in
the member area, reading the signed bundle and nothing else."""

from datetime import timedelta

import pytest
from starlette.testclient import TestClient

from tests.conftest import MEMBERS_TABLE
from tests.members.factories import a_member
from tests.members.test_published_alerts import (
    VERIFY_KEYS,
    bundle_and_signature,
    publish_examples,
)
from uglymugs.alerts.signing import verify_bundle
from uglymugs.members.api import MemberServices, create_member_app
from uglymugs.members.api_tokens import MAX_TOKENS, TOKEN_READS_ALLOWED, token_hash
from uglymugs.members.directory import ApiToken
from uglymugs.members.directory.dynamodb import DynamoDBApiTokenStore
from uglymugs.members.directory.sqlite import SQLiteApiTokenStore
from uglymugs.members.passwords import TEST_PARAMETERS
from uglymugs.members.published import PublishedAlerts
from uglymugs.members.sessions import COOKIE_NAME, Sessions
from uglymugs.messaging.mailer.outbox import OutboxMailer


@pytest.fixture(params=["local", "aws"])
def token_store(request, tmp_path):
    if request.param == "local":
        return SQLiteApiTokenStore(tmp_path / "data" / "state.sqlite3")
    request.getfixturevalue("aws_resources")
    return DynamoDBApiTokenStore(MEMBERS_TABLE)


def a_token(member_id="m1", name="Newsletter", token_id="t1", when=None, secret="umt_x"):  # noqa: S107
    from datetime import UTC, datetime

    when = when or datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    return ApiToken(token_id, token_hash(secret), member_id, name, when)


def test_the_store_keeps_tokens_by_hash_and_by_member(token_store, clock):
    first = a_token(secret="umt_one")
    second = a_token(token_id="t2", name="Website", secret="umt_two", when=clock())
    other = a_token(member_id="m2", token_id="t3", secret="umt_three")
    for token in (first, second, other):
        token_store.add_token(token)
    assert token_store.token(token_hash("umt_one")) == first
    assert token_store.token(token_hash("umt_nope")) is None
    assert [t.id for t in token_store.tokens_of("m1")] == ["t1", "t2"]
    token_store.mark_used(first.token_hash, clock())
    assert token_store.token(first.token_hash).last_used == clock()
    assert token_store.member_records("m1")[0] == {
        "id": "t1",
        "name": "Newsletter",
        "created_at": "2026-11-23T10:00:00Z",
        "last_used": "2026-11-23T10:00:00Z",
    }


def test_revoking_deletes_at_once_and_only_the_members_own(token_store, clock):
    token_store.add_token(a_token(secret="umt_one"))
    assert not token_store.revoke("m2", "t1")  # not theirs
    assert token_store.revoke("m1", "t1")
    assert token_store.token(token_hash("umt_one")) is None
    assert token_store.tokens_of("m1") == []
    assert not token_store.revoke("m1", "t1")
    token_store.mark_used(token_hash("umt_one"), clock())  # a late use brings nothing back
    assert token_store.token(token_hash("umt_one")) is None


def test_forgetting_a_member_deletes_every_token(token_store):
    token_store.add_token(a_token(secret="umt_one"))
    token_store.add_token(a_token(token_id="t2", secret="umt_two"))
    token_store.add_token(a_token(member_id="m2", token_id="t3", secret="umt_three"))
    assert token_store.forget_member("m1") == 2
    assert token_store.tokens_of("m1") == []
    assert [t.id for t in token_store.tokens_of("m2")] == ["t3"]


# --- The API --------------------------------------------------------------------


class Scheme:
    def __init__(self, member_stores, token_store, clock, tmp_path, shelf):
        publish_examples(shelf, tmp_path)
        self.directory, self.sessions = member_stores
        self.services = MemberServices(
            self.directory,
            self.sessions,
            OutboxMailer(tmp_path / "outbox", notice=lambda _l: None),
            TEST_PARAMETERS,
            "https://uglymugs.example",
            clock,
            PublishedAlerts(shelf, VERIFY_KEYS),
            token_store=token_store,
        )
        self.clock = clock
        self.app = create_member_app(self.services)

    def member(self, membership_type="project", username="ProjectX"):
        member = a_member(
            username,
            f"{username.lower()}@example.org",
            status="approved",
            membership_type=membership_type,
        )
        self.directory.add(member)
        client = TestClient(self.app, base_url="https://testserver")
        live = Sessions(self.sessions, self.directory, self.clock)
        client.cookies.set(COOKIE_NAME, live.start(member.id))
        return member, client

    def outsider(self, token):
        """Another system, with the token and no cookie."""
        client = TestClient(self.app, base_url="https://testserver")
        client.headers["Authorization"] = f"Bearer {token}"
        return client


@pytest.fixture
def scheme(member_stores, clock, tmp_path, local_bundle_shelf):
    db = tmp_path / "data" / "state.sqlite3"
    store = (
        SQLiteApiTokenStore(db)
        if type(member_stores.directory).__name__.startswith("SQLite")
        else DynamoDBApiTokenStore(MEMBERS_TABLE)
    )
    return Scheme(member_stores, store, clock, tmp_path, local_bundle_shelf)


def make(client, name="Newsletter"):
    return client.post("/api/members/me/tokens", json={"name": name})


def test_a_token_is_shown_once_and_stored_only_as_its_hash(scheme):
    member, client = scheme.member()
    made = make(client)
    assert made.status_code == 201
    body = made.json()
    assert body["token"].startswith("umt_") and len(body["token"]) >= 40
    assert body["name"] == "Newsletter" and body["last_used"] is None
    stored = scheme.services.token_store.tokens_of(member.id)
    assert [t.token_hash for t in stored] == [token_hash(body["token"])]
    listed = client.get("/api/members/me/tokens").json()["tokens"]
    assert listed == [{k: v for k, v in body.items() if k != "token"}]
    assert body["token"] not in client.get("/api/members/me/tokens").text
    assert body["token"] not in client.get("/api/members/me/data").text
    assert client.get("/api/members/me/data").json()["api_tokens"] == listed


def test_a_token_reads_the_bundle_which_verifies_and_its_last_use_shows(scheme, clock):
    _, client = scheme.member()
    token = make(client).json()["token"]
    clock.advance(timedelta(minutes=20))
    response = scheme.outsider(token).get("/api/alerts/bundle")
    assert response.status_code == 200
    bundle = verify_bundle(*bundle_and_signature(response), VERIFY_KEYS)
    assert "2026-0008" in [alert["number"] for alert in bundle.alerts]
    region = scheme.outsider(token).get("/api/alerts/bundle", params={"region": "northumbria"})
    assert region.status_code == 200
    (listed,) = client.get("/api/members/me/tokens").json()["tokens"]
    assert listed["last_used"] == "2026-11-23T10:20:00Z"


def test_a_revoked_token_gets_401_at_once(scheme):
    _, client = scheme.member()
    made = make(client).json()
    outsider = scheme.outsider(made["token"])
    assert outsider.get("/api/alerts/bundle").status_code == 200
    assert client.delete(f"/api/members/me/tokens/{made['id']}").status_code == 204
    refused = outsider.get("/api/alerts/bundle")
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "token_invalid"
    assert client.get("/api/members/me/tokens").json() == {"tokens": []}
    gone = client.delete(f"/api/members/me/tokens/{made['id']}")
    assert gone.status_code == 404


@pytest.mark.parametrize(
    "authorization",
    ["Bearer umt_" + "A" * 43, "Bearer nonsense", "Basic dXNlcjpwYXNz", "Bearer", "umt_abc"],
)
def test_unknown_or_malformed_tokens_get_401(scheme, authorization):
    client = TestClient(scheme.app, base_url="https://testserver")
    response = client.get("/api/alerts/bundle", headers={"Authorization": authorization})
    assert response.status_code == 401 and response.json()["error"]["code"] == "token_invalid"


def test_a_suspended_or_closed_membership_ends_its_tokens(scheme):
    member, client = scheme.member()
    token = make(client).json()["token"]
    scheme.directory.save(member.changed(scheme.clock(), status="suspended"))
    assert scheme.outsider(token).get("/api/alerts/bundle").status_code == 401
    scheme.directory.save(member.changed(scheme.clock(), status="approved"))
    assert scheme.outsider(token).get("/api/alerts/bundle").status_code == 200
    assert client.delete("/api/members/me").status_code == 204
    assert scheme.services.token_store.token(token_hash(token)) is None


def test_tokens_are_for_projects_and_sites_only(scheme):
    _, individual = scheme.member("individual", "Solo")
    refused = make(individual)
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "tokens_not_for_membership"
    _, site = scheme.member("site", "SiteY")
    assert make(site).status_code == 201


def test_a_member_has_at_most_ten_tokens(scheme):
    _, client = scheme.member()
    for number in range(MAX_TOKENS):
        assert make(client, f"token {number}").status_code == 201
    refused = make(client, "one more")
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "too_many_tokens"
    assert len(client.get("/api/members/me/tokens").json()["tokens"]) == MAX_TOKENS


@pytest.mark.parametrize(
    "body", [{"name": ""}, {"name": "x" * 61}, {"name": "a\u202eb"}, {"name": "  "}, {"name": 3}]
)
def test_bad_names_are_refused_and_make_nothing(scheme, body):
    member, client = scheme.member()
    response = client.post("/api/members/me/tokens", json=body)
    assert response.status_code == 422 and response.json()["error"]["field"] == "name"
    assert scheme.services.token_store.tokens_of(member.id) == []


def test_a_token_is_rate_limited(scheme, clock):
    _, client = scheme.member()
    outsider = scheme.outsider(make(client).json()["token"])
    for _ in range(TOKEN_READS_ALLOWED):
        assert outsider.get("/api/alerts/bundle?region=dorset").status_code == 200  # empty
    limited = outsider.get("/api/alerts/bundle")
    assert limited.status_code == 429 and limited.json()["error"]["code"] == "rate_limited"
    assert int(limited.headers["Retry-After"]) > 0
    clock.advance(timedelta(hours=1))
    assert outsider.get("/api/alerts/bundle").status_code == 200


def every_other_route(app):
    """(method, path) of every route of the member API but reading the bundle."""
    for route in app.routes:
        path = route.path.replace("{token_id}", "t1")
        for method in sorted(route.methods - {"HEAD"}):
            if (method, path) != ("GET", "/api/alerts/bundle"):
                yield method, path


def test_a_token_never_works_for_anything_but_reading_bundles(scheme):
    member, client = scheme.member()
    token = make(client).json()["token"]
    outsider = scheme.outsider(token)
    routes = list(every_other_route(scheme.app))
    assert len(routes) >= 12
    for method, path in routes:
        response = outsider.request(method, path, json={})
        assert response.status_code == 403, (method, path)
        assert response.json()["error"]["code"] == "token_not_accepted"
    # Even beside a live session, a request carrying a token is refused.
    client.headers["Authorization"] = f"Bearer {token}"
    assert client.get("/api/members/me").status_code == 403
    assert client.post("/api/members/me/tokens", json={"name": "more"}).status_code == 403
    assert len(scheme.services.token_store.tokens_of(member.id)) == 1
