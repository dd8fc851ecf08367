"""The SAM template as data: as written, and expanded by aws-sam-translator, offline.

Both are parsed once per test session; tests must not change what they get.
"""

from __future__ import annotations

import copy
import json
import os
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_PATH = ROOT / "infra" / "template.yaml"
REGION = "eu-west-2"


def template_text() -> str:
    return TEMPLATE_PATH.read_text(encoding="utf-8")


@cache
def _template() -> dict[str, Any]:
    from cfnlint.decode import decode_str

    template, problems = decode_str(template_text())
    assert not problems, problems
    return json.loads(json.dumps(template))  # plain dicts, without cfn-lint's node types


def template() -> dict[str, Any]:
    """``infra/template.yaml`` as written (SAM resources, intrinsic functions as dicts)."""
    return copy.deepcopy(_template())


class _NoManagedPolicies:
    """The translator asks AWS for managed policy ARNs only when a template names one."""

    def load(self) -> dict[str, str]:
        return {}


@cache
def _expanded() -> dict[str, Any]:
    from samtranslator.translator.transform import transform

    source = template()
    for name, resource in source["Resources"].items():
        properties = resource.get("Properties", {})
        if resource["Type"] == "AWS::Serverless::Function":
            properties["CodeUri"] = f"s3://uglymugs-build/{name}.zip"
        if resource["Type"] == "AWS::Serverless::LayerVersion":
            properties["ContentUri"] = f"s3://uglymugs-build/{name}.zip"
    previous = os.environ.get("AWS_DEFAULT_REGION")
    os.environ["AWS_DEFAULT_REGION"] = REGION
    try:
        return transform(source, {}, _NoManagedPolicies())
    finally:
        if previous is None:
            del os.environ["AWS_DEFAULT_REGION"]
        else:
            os.environ["AWS_DEFAULT_REGION"] = previous


def expanded() -> dict[str, Any]:
    """The template as CloudFormation receives it after the SAM transform (offline)."""
    return copy.deepcopy(_expanded())


def resources(of: dict[str, Any], type_: str) -> Iterator[tuple[str, dict[str, Any]]]:
    for name, resource in of["Resources"].items():
        if resource["Type"] == type_:
            yield name, resource


def statements(policy_document: dict[str, Any]) -> list[dict[str, Any]]:
    found = policy_document["Statement"]
    return found if isinstance(found, list) else [found]


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def role_statements(expanded_template: dict[str, Any], function: str) -> list[dict[str, Any]]:
    """Every Allow/Deny statement of the function's execution role, inline and SAM-made."""
    role = expanded_template["Resources"][f"{function}Role"]["Properties"]
    found = []
    for policy in role.get("Policies", []):
        found.extend(statements(policy["PolicyDocument"]))
    return found
