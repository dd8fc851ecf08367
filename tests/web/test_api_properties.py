"""Generated requests to every route of both APIs, checked against docs/openapi.yaml.

For each operation the document describes, Hypothesis sends bodies generated from its
request schema (valid ones, and the same with a field dropped, retyped or added),
arbitrary JSON, raw bytes and wrong content types, through Starlette's TestClient (in
process, no network), the member routes with a logged-in member's session. Every
answer must be:

- never a 5xx, except a 503 that says when to retry (none is injected here);
- a status the document lists for that operation, and a success body of the
  documented shape;
- for a refusal, exactly ``{"error": {"code", "message", "field"?}}`` with a code the
  operation documents;
- for a refusal, no change to anything stored: the SQLite database (table by table)
  and every file under the data directory (vault, outbox, shelf) are equal before and
  after, but for the changes in :data:`REFUSALS_THAT_COUNT`, which are the point.

Example counts are bounded and the seed fixed (``derandomize``) so that CI is stable
and the whole file runs in well under a minute on two cores.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nacl.public import PrivateKey
from starlette.testclient import TestClient

from tests.docs.test_openapi import load_openapi
from tests.members.test_published_alerts import KEY_ID, VERIFY_KEYS, publish_examples
from uglymugs import composition
from uglymugs.alerts.regions import load_regions
from uglymugs.config import Settings, variable
from uglymugs.members.api import create_member_app
from uglymugs.members.directory import MemberStatus
from uglymugs.members.passwords import TEST_PARAMETERS
from uglymugs.members.sessions import COOKIE_NAME, issue_link
from uglymugs.members.staff import SET_PASSWORD

pytestmark = pytest.mark.attack("API fuzzing")

REPORT_KEY_ID = "report-test"
USERNAME = "ProbeMember"
PASSWORD = "a long enough passphrase for probing"
REPORT_PATHS = {"/api/reports", "/api/reports/key"}
# A refusal may change only these tables, because counting it is what it is for:
# a failed log-in is what the log-in throttle counts (docs/api.md, "log in").
REFUSALS_THAT_COUNT: dict[tuple[str, str], dict[str, set[str]]] = {
    ("POST", "/api/session"): {
        "login_failed": {"rate_hits", "attempts"},
        "too_many_attempts": {"rate_hits", "attempts"},
    },
}
# A session slides with activity (30 idle minutes): a refused request from a logged-in
# member is activity too, so only who holds which session is compared.
SESSION_COLUMNS = "token_hash, member_id, created_at"
SQLITE_SUFFIXES = (".sqlite3", ".sqlite3-journal", ".sqlite3-wal", ".sqlite3-shm")
JSON_TYPES = ["application/json", "application/json; charset=utf-8"]
OTHER_TYPES = ["text/plain", "application/x-www-form-urlencoded", ""]
# Examples per operation: enough to reach every refusal of each, within the minute.
EXAMPLES_WITH_BODY = 30
EXAMPLES_WITHOUT_BODY = 12


@dataclass
class Scheme:
    data_dir: Path
    report: TestClient
    member: TestClient
    session_token: str


@pytest.fixture(scope="module")
def scheme(tmp_path_factory) -> Scheme:
    """The scheme on its local adapters, alerts published, one member logged in."""
    data_dir = tmp_path_factory.mktemp("scheme")
    public = base64.b64encode(bytes(PrivateKey.generate().public_key)).decode()
    verify = {key: base64.b64encode(value).decode() for key, value in VERIFY_KEYS.items()}
    settings_ = Settings.from_environ(
        {
            variable("data_dir"): str(data_dir),
            variable("report_keyring"): json.dumps(
                {"current": REPORT_KEY_ID, "keys": {REPORT_KEY_ID: public}}
            ),
            variable("bundle_verify_keys"): json.dumps(verify),
        }
    )
    assert KEY_ID in VERIFY_KEYS
    publish_examples(composition.bundle_shelf(settings_), tmp_path_factory.mktemp("publish"))
    services = composition.member_services(settings_, hasher=TEST_PARAMETERS)
    member = TestClient(
        create_member_app(services), base_url="https://testserver", raise_server_exceptions=False
    )
    report = TestClient(composition.report_app(settings_), raise_server_exceptions=False)
    token = _logged_in_member(member, services)
    member.cookies.clear()
    return Scheme(data_dir, report, member, token)


def _logged_in_member(client: TestClient, services) -> str:
    """Join through the API, approve in the directory, set a password, log in."""
    application = {
        "membership_type": "individual",
        "username": USERNAME,
        "email": "probe@example.org",
        "mobile": "07700 900123",
        "accept_terms": True,
    }
    assert client.post("/api/members", json=application).status_code == 202
    pending = services.directory.find(USERNAME)
    approved = pending.changed(services.clock(), status=MemberStatus.APPROVED)
    services.directory.save(approved)
    link = issue_link(services.sessions, approved, SET_PASSWORD, services.clock(), "https://x")
    token = re.search(r"#token=([A-Za-z0-9_-]+)", link).group(1)
    answer = client.post("/api/members/password", json={"token": token, "password": PASSWORD})
    assert answer.status_code == 204
    answer = client.post("/api/session", json={"login": USERNAME, "password": PASSWORD})
    assert answer.status_code == 204, answer.text
    return answer.cookies[COOKIE_NAME]


# --- What is stored -------------------------------------------------------------------


def snapshot(data_dir: Path) -> dict[str, Any]:
    """Every table of every SQLite database, and a digest of every other file."""
    state: dict[str, Any] = {}
    for path in sorted(data_dir.rglob("*")):
        if not path.is_file():
            continue
        name = str(path.relative_to(data_dir))
        if path.name.endswith(".sqlite3"):
            state.update(_tables(path, name))
        elif not path.name.endswith(SQLITE_SUFFIXES):
            state[name] = _digest(path)
    return state


_DIGESTS: dict[tuple[str, int, int], str] = {}


def _digest(path: Path) -> str:
    """SHA-256 of a file, remembered while its size and modification time stay."""
    status = path.stat()
    key = (str(path), status.st_mtime_ns, status.st_size)
    if key not in _DIGESTS:
        _DIGESTS[key] = hashlib.sha256(path.read_bytes()).hexdigest()
    return _DIGESTS[key]


def _tables(path: Path, name: str) -> dict[str, list[tuple]]:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        tables = [
            row[0]
            for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        found = {}
        for table in tables:
            columns = SESSION_COLUMNS if table == "sessions" else "*"
            rows = connection.execute(f"SELECT {columns} FROM {table}").fetchall()  # noqa: S608
            found[f"{name}:{table}"] = sorted(rows, key=repr)
        return found
    finally:
        connection.close()


def changed(before: dict[str, Any], after: dict[str, Any]) -> set[str]:
    """Names of the tables and files that differ (``state.sqlite3:members``, ``vault/…``)."""
    return {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}


def allowed_changes(method: str, path: str, code: str) -> set[str]:
    return set(REFUSALS_THAT_COUNT.get((method, path), {}).get(code, set()))


# --- Requests -------------------------------------------------------------------------


def _operations() -> list[tuple[str, str, dict]]:
    document = load_openapi()
    return [
        (method.upper(), path, operation)
        for path, item in sorted(document["paths"].items())
        for method, operation in sorted(item.items())
        if isinstance(operation, dict) and "responses" in operation
    ]


def _resolved(schema: dict, document: dict) -> dict:
    """``schema`` with every ``$ref`` replaced by what it names."""
    if isinstance(schema, dict):
        if "$ref" in schema:
            target = document
            for part in schema["$ref"].removeprefix("#/").split("/"):
                target = target[part]
            return _resolved(target, document)
        return {key: _resolved(value, document) for key, value in schema.items()}
    if isinstance(schema, list):
        return [_resolved(value, document) for value in schema]
    return schema


def request_schema(operation: dict) -> dict | None:
    body = operation.get("requestBody")
    if body is None:
        return None
    return _resolved(body["content"]["application/json"]["schema"], load_openapi())


def response_schema(operation: dict, status: int) -> dict | None:
    content = _resolved(operation["responses"][str(status)], load_openapi()).get("content")
    return content["application/json"]["schema"] if content else None


def nonconformity(value: Any, schema: dict, at: str = "body") -> str | None:
    """What in ``value`` breaks ``schema`` (the keywords docs/openapi.yaml uses), or None."""
    if "const" in schema and value != schema["const"]:
        return f"{at} is not {schema['const']!r}"
    if "enum" in schema and value not in schema["enum"]:
        return f"{at} is not one of {schema['enum']}"
    if "oneOf" in schema:
        fits = [nonconformity(value, choice, at) is None for choice in schema["oneOf"]]
        return None if fits.count(True) == 1 else f"{at} fits {fits.count(True)} of oneOf"
    kind = schema.get("type")
    if isinstance(kind, list):  # e.g. ["string", "null"]: any one of the kinds will do
        problems = [nonconformity(value, {**schema, "type": each}, at) for each in kind]
        return None if None in problems else problems[0]
    if kind == "null":
        return None if value is None else f"{at} is not null"
    types = {"object": dict, "array": list, "string": str, "boolean": bool, "integer": int}
    if kind in types and not isinstance(value, types[kind]):
        return f"{at} is not of type {kind}"
    if kind == "array":
        for index, item in enumerate(value):
            if problem := nonconformity(item, schema.get("items", {}), f"{at}[{index}]"):
                return problem
    if kind == "object":
        properties = schema.get("properties", {})
        if missing := set(schema.get("required", ())) - set(value):
            return f"{at} lacks {sorted(missing)}"
        if schema.get("additionalProperties") is False and set(value) - set(properties):
            return f"{at} has undocumented {sorted(set(value) - set(properties))}"
        for name, item in value.items():
            if name in properties and (
                problem := nonconformity(item, properties[name], f"{at}.{name}")
            ):
                return problem
    if kind == "string" and "pattern" in schema and not re.search(schema["pattern"], value):
        return f"{at} does not match {schema['pattern']}"
    return None


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=8,
)


def from_schema(schema: dict) -> st.SearchStrategy[Any]:
    """Values valid for the subset of JSON Schema docs/openapi.yaml uses for requests."""
    if "const" in schema:
        return st.just(schema["const"])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema.get("type")
    if isinstance(kind, list):  # e.g. ["string", "null"]: any of the kinds
        return st.one_of([from_schema({**schema, "type": each}) for each in kind])
    if kind == "null":
        return st.none()
    if kind == "boolean":
        return st.booleans()
    if kind == "string":
        if "examples" in schema:  # a usable value, as often as an arbitrary one
            plain = {key: value for key, value in schema.items() if key != "examples"}
            return st.sampled_from(schema["examples"]) | from_schema(plain)
        if "pattern" in schema:
            return st.from_regex(schema["pattern"].replace("^", r"\A").replace("$", r"\Z"))
        return st.text(min_size=schema.get("minLength", 0), max_size=schema.get("maxLength", 40))
    if kind == "array":
        return st.lists(
            from_schema(schema["items"]), max_size=min(schema.get("maxItems", 5), 5), unique=True
        )
    if kind == "object":
        properties = {name: from_schema(value) for name, value in schema["properties"].items()}
        required = set(schema.get("required", ()))
        return st.fixed_dictionaries(
            {name: value for name, value in properties.items() if name in required},
            optional={name: value for name, value in properties.items() if name not in required},
        )
    raise AssertionError(f"no strategy for {schema}: teach from_schema this keyword")


@st.composite
def mutated(draw, value: Any) -> Any:
    """``value`` as generated, or with one field dropped, retyped or added."""
    if not isinstance(value, dict):
        return value
    choice = draw(st.sampled_from(["keep", "keep", "drop", "retype", "add"]))
    if choice == "drop" and value:
        value = dict(value)
        del value[draw(st.sampled_from(sorted(value)))]
    elif choice == "retype" and value:
        value = {**value, draw(st.sampled_from(sorted(value))): draw(json_values)}
    elif choice == "add":
        value = {**value, draw(st.text(min_size=1, max_size=12)): draw(json_values)}
    return value


def sealed_reports() -> st.SearchStrategy[dict]:
    """Submissions the report API can store: the right key, a sealed box's length."""
    return st.fixed_dictionaries(
        {
            "key_id": st.just(REPORT_KEY_ID),
            "ciphertext": st.binary(min_size=48, max_size=96).map(
                lambda raw: base64.b64encode(raw).decode()
            ),
        },
        optional={"idempotency_key": st.from_regex(r"\A[A-Za-z0-9_-]{16,24}\Z")},
    )


BODY_KINDS = ["schema"] * 7 + ["any JSON", "bytes", "other type", "too large"]


@st.composite
def bodies(draw, schema: dict, path: str) -> tuple[bytes, str | None]:
    """(body, Content-Type): mostly JSON from the schema, some of anything else."""
    kind = draw(st.sampled_from(BODY_KINDS))
    content_type = draw(st.sampled_from(JSON_TYPES))
    if kind == "any JSON":
        return json.dumps(draw(json_values)).encode(), content_type
    if kind == "bytes":
        return draw(st.binary(max_size=64)), content_type
    if kind == "too large":
        return b" " * draw(st.sampled_from([16_385, 262_145])), content_type
    documents = from_schema(schema)
    if path == "/api/reports":
        documents = documents | sealed_reports()
    body = json.dumps(draw(documents.flatmap(mutated))).encode()
    if kind == "other type":
        return body, draw(st.sampled_from([*OTHER_TYPES, None]))
    return body, content_type


def cookie_values(token: str) -> st.SearchStrategy[str | None]:
    """Mostly the member's session; sometimes none, or a made-up one."""
    made_up = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABC0123456789-_", max_size=140)
    return st.one_of(st.just(token), st.just(token), st.just(token), st.none(), made_up)


def send(scheme: Scheme, method: str, path: str, operation: dict, data) -> Any:
    """One generated request to ``method path``; the response."""
    client = scheme.report if path in REPORT_PATHS else scheme.member
    headers: dict[str, str] = {}
    content = None
    schema = request_schema(operation)
    if schema is not None:
        content, media_type = data.draw(bodies(schema, path), label="body")
        if media_type is not None:
            headers["content-type"] = media_type
    params = None
    if path == "/api/alerts/bundle":
        region = st.sampled_from([*list(load_regions())[:5], ""]) | st.text(max_size=20)
        params = data.draw(st.none() | st.fixed_dictionaries({"region": region}), label="query")
    client.cookies.clear()
    if client is scheme.member:
        session = data.draw(cookie_values(scheme.session_token), label="session")
        if method == "DELETE" and session == scheme.session_token:
            session = "not-the-probe-member-s-session"  # logging out would end the run
        if session is not None:
            client.cookies.set(COOKIE_NAME, session)
    return client.request(method, path, content=content, headers=headers, params=params)


def assert_answer_is_documented(method: str, path: str, operation: dict, response) -> None:
    status = response.status_code
    where = f"{method} {path} answered {status}: {response.text[:300]}"
    assert status < 500 or (status == 503 and int(response.headers["retry-after"]) >= 1), where
    assert str(status) in operation["responses"], where
    if status < 400:
        schema = response_schema(operation, status)
        if schema is not None:
            problem = nonconformity(response.json(), schema)
            assert problem is None, f"{where}: {problem}"
        return
    body = response.json()
    assert set(body) == {"error"}, where
    error = body["error"]
    assert set(error) in ({"code", "message"}, {"code", "message", "field"}), where
    assert all(isinstance(value, str) and value for value in error.values()), where
    assert error["code"] in operation["x-error-codes"], where
    if status in (429, 503):
        assert int(response.headers["retry-after"]) >= 1, where


OPERATIONS = _operations()


@pytest.mark.parametrize(
    ("method", "path", "operation"),
    OPERATIONS,
    ids=[f"{method} {path}" for method, path, _ in OPERATIONS],
)
def test_generated_requests_get_documented_answers_and_refusals_store_nothing(
    scheme, method, path, operation
):
    examples = EXAMPLES_WITH_BODY if "requestBody" in operation else EXAMPLES_WITHOUT_BODY

    @settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(data=st.data())
    def probe(data):
        before = snapshot(scheme.data_dir)
        response = send(scheme, method, path, operation, data)
        assert_answer_is_documented(method, path, operation, response)
        if response.status_code >= 400:
            code = response.json()["error"]["code"]
            differs = changed(before, snapshot(scheme.data_dir))
            allowed = allowed_changes(method, path, code)
            unexpected = {name for name in differs if name.partition(":")[2] not in allowed}
            assert not unexpected, f"{method} {path} refused ({code}) yet changed {differs}"

    probe()


def test_the_probe_member_is_still_logged_in(scheme):
    """The run above kept its session: member routes were probed logged in."""
    scheme.member.cookies.clear()
    scheme.member.cookies.set(COOKIE_NAME, scheme.session_token)
    answer = scheme.member.get("/api/members/me")
    assert answer.status_code == 200 and answer.json()["username"] == USERNAME
