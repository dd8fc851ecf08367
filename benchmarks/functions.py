"""Every function's cold start as deployed, against a bare boto3 handler in the same run.

Each handler module is imported in a fresh interpreter with warm ``.pyc`` files (as a
Lambda re-using its cached package does), with the environment ``infra/template.yaml``
gives that function (deploy-time values replaced by placeholders: nothing at import
touches AWS). The import builds the app, its adapters and key ring. The baseline is a
handler that imports only boto3, measured in the same run and interleaved with the
others so machine noise hits all alike. Target: at most 1.5 times the baseline.

What each function defers to its first use is timed too, in the same interpreter right
after the import: boto3 (and a client), Powertools Idempotency for the report and
notify functions, Powertools Parameters and ``cryptography`` for the alerts function's
signed bundle URLs. A first request pays that once; later ones do not.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
from base64 import b64encode
from pathlib import Path

from rich.console import Console
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
BARE_HANDLER = ROOT / "benchmarks" / "bare_boto3_handler.py"
COLD_RUNS = 9
FUNCTIONS = {
    "ReportFunction": "report",
    "AlertsFunction": "alerts",
    "NotifyFunction": "notify",
}
# Imported on first use, after the cold start (see each function's modules).
FIRST_USE_LABELS = {
    "report": "boto3 + Idempotency",
    "alerts": "boto3 + Parameters + cryptography",
    "notify": "boto3 + Idempotency",
}
FIRST_USE = {
    "report": ["boto3", "aws_lambda_powertools.utilities.idempotency"],
    "alerts": [
        "boto3",
        "aws_lambda_powertools.utilities.parameters",
        "cryptography.hazmat.primitives.serialization",
        "cryptography.hazmat.primitives.asymmetric.ec",
    ],
    "notify": ["boto3", "aws_lambda_powertools.utilities.idempotency"],
    "bare": [],
}

_TIMER = """
import importlib, importlib.util, sys, time
start = time.perf_counter()
spec = importlib.util.spec_from_file_location("handler_module", sys.argv[1])
module = importlib.util.module_from_spec(spec)
spec.loader.exec_module(module)
assert callable(module.handler)
cold = (time.perf_counter() - start) * 1000
start = time.perf_counter()
for name in sys.argv[2:]:
    importlib.import_module(name)
if "boto3" in sys.argv[2:]:
    import boto3
    boto3.client("dynamodb", region_name="eu-west-2")
print(cold, (time.perf_counter() - start) * 1000)
"""


def deployed_environment(function: str) -> dict[str, str]:
    """The template's variables for ``function``, deploy-time values as placeholders."""
    from nacl.signing import SigningKey

    from tests.infra.template import template
    from uglymugs.reports.keyring import ReportKeyRing

    document = template()
    variables = {
        **document["Globals"]["Function"]["Environment"]["Variables"],
        **document["Resources"][function]["Properties"]["Environment"]["Variables"],
    }
    environment = {
        name: value if isinstance(value, str) else f"bench-{name.lower().replace('_', '-')}"
        for name, value in variables.items()
    }
    verify_key = bytes(SigningKey.generate().verify_key)
    environment.update(
        {
            "UGLYMUGS_REPORT_KEYRING": ReportKeyRing("report-b", {"report-b": bytes(32)}).to_json(),
            "UGLYMUGS_BUNDLE_VERIFY_KEYS": json.dumps({"bundle-b": b64encode(verify_key).decode()}),
            "UGLYMUGS_SITE_URL": "https://alerts.example.org",
            "UGLYMUGS_SMS_SENDER_ID": "UglyMugs",
        }
    )
    return environment


def base_environment(data_dir: str) -> dict[str, str]:
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("UGLYMUGS_")}
    return {
        **inherited,
        "UGLYMUGS_DATA_DIR": data_dir,  # nothing may write here: every adapter is named
        "AWS_DEFAULT_REGION": "eu-west-2",
        "AWS_ACCESS_KEY_ID": "bench",
        "AWS_SECRET_ACCESS_KEY": "bench",
        "AWS_LAMBDA_FUNCTION_NAME": "bench",
        "PYTHONPATH": str(ROOT),
    }


def cold_start(handler: Path, env: dict[str, str], first_use: list[str]) -> tuple[float, float]:
    output = subprocess.run(
        [sys.executable, "-c", _TIMER, str(handler), *first_use],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    cold, later = output.stdout.strip().splitlines()[-1].split()
    return float(cold), float(later)


def main() -> None:
    import tempfile

    console = Console(width=120)
    with tempfile.TemporaryDirectory() as tmp:
        base = base_environment(str(Path(tmp) / "must-stay-empty"))
        runs: dict[str, tuple[Path, dict[str, str], list[str]]] = {
            "bare": (BARE_HANDLER, base, FIRST_USE["bare"])
        }
        for function, name in FUNCTIONS.items():
            handler = ROOT / "functions" / name / "app.py"
            runs[name] = (handler, {**base, **deployed_environment(function)}, FIRST_USE[name])
        for handler, env, first_use in runs.values():
            cold_start(handler, env, first_use)  # compile .pyc files first, as Lambda ships them
        timings: dict[str, list[tuple[float, float]]] = {name: [] for name in runs}
        with console.status("cold starts…"):
            for _ in range(COLD_RUNS):
                for name, (handler, env, first_use) in runs.items():
                    timings[name].append(cold_start(handler, env, first_use))
        if (Path(tmp) / "must-stay-empty").exists():
            raise RuntimeError("a function wrote to the local data directory at import")

    def median(name: str, index: int) -> float:
        return statistics.median(run[index] for run in timings[name])

    bare = median("bare", 0)
    table = Table(title=f"Functions as deployed (median of {COLD_RUNS} cold starts, this machine)")
    table.add_column("handler")
    table.add_column("cold import + init (ms)", justify="right")
    table.add_column("× bare boto3 handler", justify="right")
    table.add_column("first use, once (ms)", justify="right")
    table.add_row("bare handler importing only boto3", f"{bare:.0f}", "1.00", "—")
    for name in FUNCTIONS.values():
        cold = median(name, 0)
        table.add_row(
            f"functions/{name}",
            f"{cold:.0f}",
            f"{cold / bare:.2f}",
            f"{median(name, 1):.0f} ({FIRST_USE_LABELS[name]})",
        )
    console.print(table)
    console.print(
        f"Python {sys.version.split()[0]} here; Lambda runs 3.12 on arm64. Target: "
        "cold import + init at most 1.5 × the bare handler."
    )
