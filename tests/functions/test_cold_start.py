"""What a cold start imports, as deployed: nothing a first request can load instead.

No timings here (those are in ``benchmarks/functions.py``): each entry point is loaded
in a fresh interpreter with the template's environment, and the modules it loaded are
checked against the ones it must defer (boto3 alone is ~250 ms; Powertools
Idempotency 275 ms, Parameters 300 ms, the X-Ray SDK 500 ms).
"""

import json
import os
import subprocess
import sys

import pytest

from tests.infra.template import ROOT
from tests.infra.test_environment import placeholders

DEFERRED = {
    "boto3",
    "botocore.session",
    "botocore.client",
    "aws_xray_sdk",  # Powertools' Tracer module is imported with the package; its SDK is not
    "aws_lambda_powertools.utilities.idempotency",
    "aws_lambda_powertools.utilities.parameters",
    "cryptography",
}
# Needed by one route only (joining, e-mail, identifier checks) in the alerts function.
ALERTS_DEFERRED = {"phonenumbers", "jinja2", "uglymugs.members.joining", "nacl.signing"}

LOADED = """
import importlib.util, json, sys
spec = importlib.util.spec_from_file_location("handler_module", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
print(json.dumps(sorted(sys.modules)))
"""


def modules_loaded(name: str, function: str, tmp_path) -> set[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("UGLYMUGS_")}
    env.update(placeholders(function))
    env.update(
        {
            "UGLYMUGS_DATA_DIR": str(tmp_path / "must-stay-empty"),
            "AWS_DEFAULT_REGION": "eu-west-2",
            "PYTHONPATH": str(ROOT),
        }
    )
    output = subprocess.run(
        [sys.executable, "-c", LOADED, str(ROOT / "functions" / name / "app.py")],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert not (tmp_path / "must-stay-empty").exists()
    return set(json.loads(output.stdout.strip().splitlines()[-1]))


def loaded_of(modules: set[str], prefixes: set[str]) -> set[str]:
    return {m for m in modules for p in prefixes if m == p or m.startswith(p + ".")}


@pytest.mark.parametrize(
    ("name", "function", "deferred"),
    [
        ("report", "ReportFunction", DEFERRED),
        ("alerts", "AlertsFunction", DEFERRED | ALERTS_DEFERRED),
        ("notify", "NotifyFunction", DEFERRED),
    ],
)
def test_a_cold_start_defers_what_a_first_request_can_load(name, function, deferred, tmp_path):
    assert loaded_of(modules_loaded(name, function, tmp_path), deferred) == set()
