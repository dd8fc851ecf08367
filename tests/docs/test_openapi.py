"""docs/openapi.yaml stays equal to the APIs: every route, every error code, every choice.

The routes are read from the apps the functions serve (built by the composition
root), so a route added, renamed or given another method fails here until the
document says so, and a route the document names that the apps lost fails too.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
import yaml
from nacl.public import PrivateKey
from starlette.routing import Route

from uglymugs import composition
from uglymugs.config import Settings, variable
from uglymugs.members import joining
from uglymugs.web.errors import ErrorCode

OPENAPI = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"
METHODS = {"get", "put", "post", "delete", "patch", "options", "head", "trace"}


def load_openapi() -> dict:
    return yaml.safe_load(OPENAPI.read_text())


def scheme_settings(data_dir: Path) -> Settings:
    """Local adapters under ``data_dir``, with a report key ring and no bundle keys."""
    public = base64.b64encode(bytes(PrivateKey.generate().public_key)).decode()
    keyring = json.dumps({"current": "report-test", "keys": {"report-test": public}})
    return Settings.from_environ(
        {variable("data_dir"): str(data_dir), variable("report_keyring"): keyring}
    )


def operations(document: dict) -> set[tuple[str, str]]:
    """``(METHOD, path)`` of every operation the document describes."""
    return {
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method in item
        if method in METHODS
    }


def served_routes(settings: Settings) -> set[tuple[str, str]]:
    """``(METHOD, path)`` of every route of the report and member apps (HEAD is
    Starlette's own companion of GET, not a route of ours)."""
    apps = [composition.report_app(settings), composition.member_app(settings)]
    found = set()
    for app in apps:
        for route in app.routes:
            assert isinstance(route, Route), f"{route!r} is not a plain route: describe it"
            found |= {(method, route.path) for method in route.methods or () if method != "HEAD"}
    return found


def test_the_document_is_openapi_3_1():
    document = load_openapi()
    assert document["openapi"].startswith("3.1.")
    assert document["paths"]


def test_every_route_is_described_and_every_description_is_a_route(tmp_path):
    assert operations(load_openapi()) == served_routes(scheme_settings(tmp_path))


def test_the_error_codes_are_the_code_s_own():
    schema = load_openapi()["components"]["schemas"]["Error"]
    documented = schema["properties"]["error"]["properties"]["code"]["enum"]
    assert sorted(documented) == sorted(code.value for code in ErrorCode)


def test_each_operation_names_only_real_error_codes():
    codes = {code.value for code in ErrorCode}
    document = load_openapi()
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                named = set(operation["x-error-codes"])
                assert named <= codes, f"{method.upper()} {path}: {named - codes}"


def test_every_reference_resolves():
    document = load_openapi()

    def refs(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "$ref":
                    yield value
                else:
                    yield from refs(value)
        elif isinstance(node, list):
            for value in node:
                yield from refs(value)

    for ref in refs(document):
        target = document
        for part in ref.removeprefix("#/").split("/"):
            target = target[part]


@pytest.mark.parametrize(
    ("property_name", "choices"),
    [
        ("membership_type", joining.MEMBERSHIP_TYPES),
        ("service_users", joining.SERVICE_USERS),
        ("areas", joining.AREAS),
    ],
)
def test_the_join_choices_are_the_code_s(property_name, choices):
    schema = load_openapi()["components"]["schemas"]["Application"]["properties"][property_name]
    enum = schema.get("enum") or schema["items"]["enum"]
    assert tuple(enum) == tuple(choices)


def test_the_monitoring_choices_are_the_code_s():
    monitoring = load_openapi()["components"]["schemas"]["Application"]["properties"]["monitoring"]
    assert tuple(monitoring["properties"]["work"]["enum"]) == tuple(joining.WORK_TYPES)
    assert tuple(monitoring["properties"]["gender"]["enum"]) == tuple(joining.GENDERS)
    username = load_openapi()["components"]["schemas"]["Application"]["properties"]["username"]
    assert username["pattern"] == joining.USERNAME_PATTERN
